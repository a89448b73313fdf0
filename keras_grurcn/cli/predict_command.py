"""`grurcn predict` and `grurcn caption`: answer video files with a trained task."""

import os

from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.model_files import is_saved_model
from keras_grurcn.cli.model_files import load_task
from keras_grurcn.cli.reporting import print_table


def add_parsers(commands, formatter):
    for name, help_text in (
        ("predict", "classify video files with a .keras model or a SavedModel"),
        ("caption", "caption video files with a captioner (.keras or SavedModel)"),
    ):
        command = commands.add_parser(name, help=help_text, formatter_class=formatter)
        command.add_argument(
            "--model",
            required=True,
            help="a preset folder (WORKDIR/preset), .keras file or SavedModel folder",
        )
        command.add_argument("videos", nargs="+", help="video files")
        command.add_argument(
            "--top", type=positive_int, default=3, help="answers per video"
        )
        command.set_defaults(handler=run_predict if name == "predict" else run_caption)


def _classifier(path):
    """A function from uint8 frames to `(probabilities, labels)` of one video."""
    if is_saved_model(path):
        import tensorflow as tf

        signature = tf.saved_model.load(path).signatures["serving_default"]

        def served(frames):
            outputs = signature(frames=tf.constant(frames))
            probabilities = outputs["probabilities"].numpy()[0]
            labels = [label.decode() for label in outputs["labels"].numpy()[0]]
            # The SavedModel sorts labels best first: map them back to indices.
            order = probabilities.argsort()[::-1]
            names = [""] * len(labels)
            for rank, index in enumerate(order):
                names[index] = labels[rank]
            return probabilities, names

        return served
    model = load_task(path)
    return lambda frames: (model.predict(frames, verbose=0)[0], model.labels)


def run_predict(args):
    from keras_grurcn import data

    classify = _classifier(args.model)
    rows = []
    for video in args.videos:
        probabilities, names = classify(data.read_video(video)[None])
        best = probabilities.argsort()[::-1][: args.top]
        answers = ", ".join(
            f"{names[index]} {probabilities[index]:.2f}" for index in best
        )
        rows.append((os.path.basename(video), answers))
    print_table(("video", f"top-{args.top}"), rows)


def run_caption(args):
    from keras_grurcn import data

    rows = []
    if is_saved_model(args.model):
        import tensorflow as tf

        serve = tf.saved_model.load(args.model).signatures["serving_default"]
        for video in args.videos:
            outputs = serve(frames=tf.constant(data.read_video(video)[None]))
            rows.append(
                (os.path.basename(video), outputs["caption"].numpy()[0].decode())
            )
    else:
        from keras_grurcn.captioning import VideoCaptioner

        model = load_task(args.model)
        if not isinstance(model, VideoCaptioner):
            raise CommandError(f"--model {args.model}: not a captioner.")
        for video in args.videos:
            result = model.generate(data.read_video(video)[None])
            rows.append((os.path.basename(video), result["captions"][0]))
    print_table(("video", "caption"), rows)
