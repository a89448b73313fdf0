"""`grurcn train`: an experiment (a zoo model, a preset or a config file) on percept caches."""

import json
import os

from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.reporting import print_table
from keras_grurcn.presets import PRESETS

# Shortcut flags: each is `--set` of one key, applied before the --set list.
_SHORTCUTS = {
    "data_dir": "data.data_dir",
    "train_cache": "data.train_cache",
    "val_cache": "data.val_cache",
    "flow_data_dir": "data.flow_data_dir",
    "epochs": "train.epochs",
    "batch_size": "train.batch_size",
    "learning_rate": "train.learning_rate",
    "strategy": "train.strategy",
    "mixed_precision": "train.mixed_precision",
    "jit_compile": "train.jit_compile",
    "seed": "train.seed",
}


def add_parser(commands, formatter):
    train = commands.add_parser(
        "train",
        help="train an experiment on cached percepts (writes WORKDIR/preset)",
        description="Train on percept caches. The experiment is built in layers, "
        "each over the one before: the defaults or --preset, --config, the "
        "shortcut flags (--epochs is --set train.epochs=...), then each --set. "
        "The resolved experiment is written to WORKDIR/experiment.yaml; "
        "--dry-run prints it and stops.",
        formatter_class=formatter,
    )
    which = train.add_mutually_exclusive_group()
    which.add_argument("--model", help="a name from keras_grurcn.list_models()")
    which.add_argument("--preset", choices=list(PRESETS), help="a paper preset")
    train.add_argument(
        "--config", default=None, help="an experiment YAML file (over --preset)"
    )
    train.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one key, repeatable: model.hidden_maps=[16,32], "
        "train.epochs=5, train.lr_schedule=cosine (values in YAML)",
    )
    train.add_argument(
        "--dry-run",
        action="store_true",
        help="print the resolved experiment (checked against the caches) and stop",
    )
    train.add_argument(
        "--data-dir",
        default=None,
        help="folder with the caches train/ and val/ (or test/)",
    )
    train.add_argument(
        "--flow-data-dir",
        default=None,
        help="--model two_stream: folder with the flow caches train/ and val/ "
        "(or test/) of the same videos (grurcn extract --modality flow)",
    )
    train.add_argument("--train-cache", default=None, help="percept cache for training")
    train.add_argument("--val-cache", default=None, help="percept cache for validation")
    train.add_argument(
        "--workdir", default=None, help="checkpoints, logs, final model (required)"
    )
    train.add_argument("--epochs", type=positive_int, default=None)
    train.add_argument("--batch-size", type=positive_int, default=None)
    train.add_argument("--learning-rate", type=float, default=None)
    train.add_argument("--strategy", default=None, help="default: auto")
    train.add_argument("--mixed-precision", default=None)
    train.add_argument("--jit-compile", action="store_const", const=True)
    train.add_argument("--seed", type=int, default=None, help="default: 0")
    train.set_defaults(handler=run_train)
    return train


def experiment_overrides(args):
    """The `--set` list the arguments amount to: model, shortcuts, then --set."""
    overrides = [f"model.name={args.model}"] if args.model else []
    for argument, key in _SHORTCUTS.items():
        value = getattr(args, argument)
        if value is not None:
            # JSON text is YAML: paths and names stay text, numbers numbers.
            overrides.append(f"{key}={json.dumps(value)}")
    return overrides + list(args.overrides)


def run_train(args):
    from keras_grurcn.training import ExperimentConfig
    from keras_grurcn.training import train_experiment
    from keras_grurcn.training.train_experiment import resolve_caches

    experiment = ExperimentConfig.resolve(
        preset=args.preset,
        config_file=args.config,
        overrides=experiment_overrides(args),
    )
    if args.dry_run:
        data = experiment.data
        if data.data_dir or data.train_cache or data.val_cache:
            experiment, _ = resolve_caches(experiment)
        print(experiment.to_yaml(), end="")
        return 0
    if not args.workdir:
        raise CommandError("--workdir is required (unless --dry-run).")
    _, metrics = train_experiment(experiment, args.workdir)
    if "fused_accuracy" in metrics:
        _print_two_stream_metrics(metrics, args.workdir)
        return 0
    print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in metrics.items()])
    print(f"Checkpoints and logs in {args.workdir} (experiment.yaml: the settings)")
    print(
        "Model (frames or percepts in) for `grurcn evaluate`, `export`, `predict`: "
        f"{os.path.join(args.workdir, 'preset')}"
    )


def _print_two_stream_metrics(metrics, workdir):
    streams = [
        (f"{name} stream", f"{metrics[f'{name}_accuracy']:.4f}")
        for name in ("rgb", "flow")
    ]
    fused = (
        f"fused (flow weight {metrics['flow_weight']:g})",
        f"{metrics['fused_accuracy']:.4f}",
    )
    print_table(("validation videos", "top-1"), [*streams, fused])
    print(
        f"Streams in {os.path.join(workdir, 'rgb')} and "
        f"{os.path.join(workdir, 'flow')}; metrics.json and experiment.yaml in "
        f"{workdir}"
    )
    print(
        "Model (RGB frames and flow images, or both caches' percepts, in) for "
        f"`grurcn export`, `predict`: {os.path.join(workdir, 'preset')}"
    )
