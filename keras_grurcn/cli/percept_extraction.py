"""`grurcn extract`'s cache writing: runner choice, resuming, the repair command.

`extract_command.run_extract` says how to build the cache's `VideoPreprocessor`;
this module decides whether a cache folder's saved preprocessor is reused (a
resumed or repaired cache must be extracted by the same weights, also when
they are random), saves it with the class names before the first shard (so
Beam workers can load it), and runs the chosen writer.
"""

import shlex

from keras_grurcn.cli.command_error import CommandError

RUNNERS = ("inprocess", "direct", "prism", "dataflow", "flink", "spark")
# The arguments that define a cache, in the order of the rerun command.
_COMMAND_ARGUMENTS = (
    "videos",
    "layout",
    "split",
    "subset",
    "msvd_split_sizes",
    "out",
    "backbone",
    "levels",
    "backbone_weights",
    "frames",
    "image_size",
    "modality",
    "flow_method",
    "flow_bound",
    "batch_size",
    "examples_per_shard",
    "percept_dtype",
    "runner",
)


def extract_command(args):
    """The `grurcn extract ...` line that reruns (and so repairs) this cache."""
    words = ["grurcn", "extract"]
    for name in _COMMAND_ARGUMENTS:
        value = getattr(args, name, None)
        if name.startswith("flow_") and getattr(args, "modality", "rgb") != "flow":
            continue
        if name == "backbone_weights" and value is None:
            value = "none"  # Random weights: the parser's word for None.
        if value is None:
            continue
        if name == "msvd_split_sizes":
            value = ",".join(str(size) for size in value)
        words += ["--" + name.replace("_", "-"), str(value)]
    for option in getattr(args, "beam_option", None) or ():
        words += ["--beam-option", option]
    return shlex.join(words)


def input_modality(args):
    """`{"modality", "flow_method", "flow_bound"}` of the cache `args` ask for.

    `--flow-method auto` is resolved here to the method installed, so the
    cache, its preprocessor and a resumed run record the same one.
    """
    if getattr(args, "modality", "rgb") != "flow":
        return {"modality": "rgb", "flow_method": None, "flow_bound": None}
    from keras_grurcn.data import resolve_flow_method

    try:
        method = resolve_flow_method(args.flow_method)
    except ImportError as error:
        raise CommandError(f"--flow-method {args.flow_method}: {error}") from None
    return {"modality": "flow", "flow_method": method, "flow_bound": args.flow_bound}


def _requested(args):
    """The preprocessor settings `args` ask for, as its config records them."""
    from keras_grurcn.percepts.backbones import get_backbone

    levels = args.levels.split(",") if args.levels else None
    backbone = args.backbone
    if backbone is not None:
        spec = get_backbone(backbone)
        backbone, levels = spec.name, list(spec.resolve_levels(levels))
    return {
        "backbone": backbone,
        "levels": levels,
        "backbone_weights": args.backbone_weights,
        "image_size": [args.image_size, args.image_size],
        "num_frames": args.frames,
        **input_modality(args),
    }


def _preprocessor(args, build_preprocessor, class_names):
    """The saved preprocessor of a started cache in `--out`, else a new one."""
    import tensorflow as tf

    from keras_grurcn import data

    started = tf.io.gfile.exists(f"{args.out.rstrip('/')}/progress.json")
    saved = f"{args.out.rstrip('/')}/{data.cache_extraction.PREPROCESSOR_DIR}"
    if started and tf.io.gfile.isdir(saved):
        preprocessor = data.load_cache_preprocessor(args.out)
        config = preprocessor.get_config()
        changed = [
            key for key, value in _requested(args).items() if config[key] != value
        ]
        if changed:
            raise CommandError(
                f"--out {args.out!r} holds a cache extracted with other "
                f"{', '.join(changed)}; use an empty folder or the same settings."
            )
        return preprocessor, saved
    tf.io.gfile.makedirs(args.out)
    preprocessor = build_preprocessor()
    data.save_extraction(args.out, preprocessor, class_names)
    return preprocessor, saved


def extract(args, entries, build_preprocessor, class_names):
    """Write (or resume, or repair) the cache in `args.out` with `args.runner`.

    Args:
        args: the parsed `grurcn extract` arguments.
        entries: the `VideoEntry` list to extract.
        build_preprocessor: makes the `VideoPreprocessor` when the folder has
            none.
        class_names: the dataset's class names (saved in `extraction.json`).

    Returns:
        The cache info dict.
    """
    from keras_grurcn import data

    if args.runner == "inprocess" and args.beam_option:
        raise CommandError("--beam-option needs a Beam --runner (e.g. direct).")
    if args.runner != "inprocess":
        try:  # Before anything is built: Beam is there, its options are valid.
            data.beam_pipeline_options(args.runner, args.beam_option)
        except ImportError as error:
            raise CommandError(f"--runner {args.runner}: {error}") from None
    preprocessor, preset = _preprocessor(args, build_preprocessor, class_names)
    common = dict(
        num_frames=args.frames,
        image_size=args.image_size,
        **input_modality(args),
        batch_size=args.batch_size,
        examples_per_shard=args.examples_per_shard,
        percept_dtype=args.percept_dtype,
        command=extract_command(args),
    )
    if args.runner == "inprocess":
        return data.write_percept_cache(entries, preprocessor, args.out, **common)
    return data.write_percept_cache_beam(
        entries,
        preset,
        args.out,
        runner=args.runner,
        pipeline_options=args.beam_option,
        **common,
    )
