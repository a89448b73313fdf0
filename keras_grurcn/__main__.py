import sys

from keras_grurcn.cli import main

sys.exit(main())
