"""`grurcn extract`'s cache writing: runner choice, resuming, the repair command.

`commands.run_extract` builds the extractor model; this module decides
whether a cache folder's saved extractor is reused (a resumed or repaired
cache must be extracted by the same weights, also when they are random),
saves it and the extraction settings, and runs the chosen writer.
"""

import json
import os
import shlex

EXTRACTION_INFO = "extraction.json"
EXTRACTOR = "extractor.keras"
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


def _extractor(args, build_extractor, extraction):
    """The saved extractor of a started cache in `--out`, else a new one."""
    import tensorflow as tf

    from keras_grurcn.cli.main import CommandError  # main imports this module.
    from keras_grurcn.saving import load_model

    path = os.path.join(args.out, EXTRACTOR)
    settings_path = os.path.join(args.out, EXTRACTION_INFO)
    started = tf.io.gfile.exists(os.path.join(args.out, "progress.json"))
    if started and tf.io.gfile.exists(path) and tf.io.gfile.exists(settings_path):
        with tf.io.gfile.GFile(settings_path) as file:
            saved = json.load(file)
        keys = ("backbone", "levels", "backbone_weights", "image_size", "num_frames")
        changed = [key for key in keys if saved.get(key) != extraction[key]]
        if changed:
            raise CommandError(
                f"--out {args.out!r} holds a cache extracted with other "
                f"{', '.join(changed)}; use an empty folder or the same settings."
            )
        return load_model(path, compile=False), path
    tf.io.gfile.makedirs(args.out)
    extractor = build_extractor()
    extractor.save(path)
    with tf.io.gfile.GFile(settings_path, "w") as file:
        file.write(json.dumps(extraction, indent=2))
    return extractor, path


def extract(args, entries, build_extractor, extraction):
    """Write (or resume, or repair) the cache in `args.out` with `args.runner`.

    Args:
        args: the parsed `grurcn extract` arguments.
        entries: the `VideoEntry` list to extract.
        build_extractor: makes the Keras extractor when the folder has none.
        extraction: what `grurcn train` needs to know (`extraction.json`).

    Returns:
        The cache info dict.
    """
    from keras_grurcn import data
    from keras_grurcn.cli.main import CommandError

    if args.runner == "inprocess" and args.beam_option:
        raise CommandError("--beam-option needs a Beam --runner (e.g. direct).")
    if args.runner != "inprocess":
        try:  # Before anything is built: Beam is there, its options are valid.
            data.beam_pipeline_options(args.runner, args.beam_option)
        except ImportError as error:
            raise CommandError(f"--runner {args.runner}: {error}") from None
    extractor, path = _extractor(args, build_extractor, extraction)
    common = dict(
        num_frames=args.frames,
        image_size=args.image_size,
        batch_size=args.batch_size,
        examples_per_shard=args.examples_per_shard,
        percept_dtype=args.percept_dtype,
        command=extract_command(args),
    )
    if args.runner == "inprocess":
        return data.write_percept_cache(entries, extractor, args.out, **common)
    return data.write_percept_cache_beam(
        entries,
        path,
        args.out,
        runner=args.runner,
        pipeline_options=args.beam_option,
        **common,
    )
