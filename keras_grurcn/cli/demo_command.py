"""`grurcn demo`: synthetic motion videos to a served GRU-RCN (`cli/demo.py`)."""

from keras_grurcn.cli.argument_types import none_or_text
from keras_grurcn.cli.argument_types import positive_int


def add_parser(commands, formatter):
    demo = commands.add_parser(
        "demo",
        help="synthetic motion videos -> percepts -> GRU-RCN vs frame average -> SavedModel",
        formatter_class=formatter,
    )
    demo.add_argument(
        "--workdir", default="grurcn_runs/demo", help="where artifacts go"
    )
    demo.add_argument("--clips", type=positive_int, default=320, help="synthetic clips")
    demo.add_argument(
        "--epochs", type=positive_int, default=12, help="epochs per model"
    )
    demo.add_argument("--seed", type=int, default=0, help="data and training seed")
    demo.add_argument(
        "--backbone-weights",
        type=none_or_text,
        default=None,
        help="'none' (fixed random VGG-16, no download), 'imagenet' or a .weights.h5 file",
    )
    demo.set_defaults(handler=run_demo)
    return demo


def run_demo(args):
    from keras_grurcn.cli.demo import DemoConfig
    from keras_grurcn.cli.demo import run_demo as demo

    config = DemoConfig(
        num_clips=args.clips,
        epochs=args.epochs,
        seed=args.seed,
        backbone_weights=args.backbone_weights,
    )
    demo(args.workdir, config)
