"""The `grurcn` command line (also `python -m keras_grurcn`).

Each subcommand lives in its own module (`cli/<command>_command.py`) that
adds its arguments and calls library functions, which the tests import and
run directly. Parsing imports no TensorFlow: the command modules import
the library inside their functions.
"""

import argparse
import sys

from keras_grurcn.cli import demo_command
from keras_grurcn.cli import evaluate_command
from keras_grurcn.cli import export_command
from keras_grurcn.cli import extract_command
from keras_grurcn.cli import predict_command
from keras_grurcn.cli import prepare_command
from keras_grurcn.cli import train_command
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.tensorflow_logging import import_tensorflow


def build_parser():
    formatter = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(
        prog="grurcn",
        description="GRU-RCN video models (Ballas et al., ICLR 2016) for Keras 3.",
        formatter_class=formatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (
        demo_command,
        prepare_command,
        extract_command,
        train_command,
        evaluate_command,
        export_command,
    ):
        module.add_parser(commands, formatter)
    predict_command.add_parsers(commands, formatter)
    _add_verbose_everywhere(parser)
    return parser


def _add_verbose_everywhere(parser):
    """`--verbose` before or after any command word (`grurcn train --verbose`)."""
    # SUPPRESS: a subcommand's default must not reset a `--verbose` given
    # before its name.
    parser.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show TensorFlow's start-up and warning logs",
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                _add_verbose_everywhere(subparser)


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # After parsing: `--help` and usage errors never start TensorFlow.
        import_tensorflow(verbose=getattr(args, "verbose", False))
        return args.handler(args) or 0
    except (CommandError, OSError, ValueError) as error:
        print(f"grurcn {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
