"""The `grurcn` command line: argument parsing over library functions."""

from keras_grurcn.cli.main import main

__all__ = ["main"]
