"""`grurcn predict` and `grurcn caption`: answer video files with a trained task."""

from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.frame_streams import frame_stream_starter
from keras_grurcn.cli.model_files import is_saved_model
from keras_grurcn.cli.model_files import load_task
from keras_grurcn.cli.model_files import names_in_class_order
from keras_grurcn.cli.video_answers import UnanswerableVideo
from keras_grurcn.cli.video_answers import answer_videos
from keras_grurcn.cli.video_stream_answers import stream_videos


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
        if name == "predict":
            command.add_argument(
                "--top", type=positive_int, default=3, help="answers per video"
            )
            command.add_argument(
                "--stream",
                action="store_true",
                help="classify frame by frame as the video is read, printing the "
                "running top-1 (with --json: one record per frame, --top answers)",
            )
            command.add_argument(
                "--every",
                type=positive_int,
                default=1,
                help="with --stream: feed every N-th frame (the frame rate it was "
                "trained at)",
            )
        command.add_argument(
            "--json",
            action="store_true",
            help="one JSON object per video on stdout (JSON Lines), failures too",
        )
        command.set_defaults(handler=run_predict if name == "predict" else run_caption)


def _classifier(path):
    """A function from one video's uint8 frames to `(probabilities, labels)`.

    A two-stream model also gets the video's flow images, made by the
    package's flow function with the settings its flow percepts were
    cached with (recorded in the preset, or in the SavedModel's
    `flow_image_options` signature).
    """
    if is_saved_model(path):
        import tensorflow as tf

        from keras_grurcn.export.serving_signatures import saved_flow_image_options

        loaded = tf.saved_model.load(path)
        signature = loaded.signatures["serving_default"]
        flow_options = saved_flow_image_options(loaded)

        def served(frames):
            if flow_options is None:
                outputs = signature(frames=tf.constant(frames[None]))
            else:
                flow = _flow_images(frames, flow_options)
                outputs = signature(
                    rgb=tf.constant(frames[None]), flow=tf.constant(flow[None])
                )
            probabilities = outputs["probabilities"].numpy()[0]
            return probabilities, names_in_class_order(
                probabilities, outputs["labels"].numpy()[0]
            )

        return served
    from keras_grurcn.models import TwoStreamVideoClassifier

    model = load_task(path)

    def predicted(frames):
        inputs = frames[None]
        if isinstance(model, TwoStreamVideoClassifier):
            flow = _flow_images(frames, model.preprocessor.flow.flow_image_options)
            inputs = {"rgb": frames[None], "flow": flow[None]}
        return model.predict(inputs, verbose=0)[0], model.labels

    return predicted


def _flow_images(frames, options):
    from keras_grurcn import data

    if len(frames) < 2:
        raise UnanswerableVideo(
            f"{len(frames)} frame: a two-stream model needs two or more for "
            "optical flow."
        )
    return data.video_flow_images(frames, **options)


def run_predict(args):
    if args.stream:
        return stream_videos(args, frame_stream_starter(args.model))
    if args.every != 1:
        raise CommandError("--every is for --stream.")
    classify = _classifier(args.model)

    def answer(frames):
        probabilities, names = classify(frames)
        best = probabilities.argsort()[::-1][: args.top]
        return {
            "predictions": [
                {"label": names[index], "probability": float(probabilities[index])}
                for index in best
            ]
        }

    def as_text(result):
        return ", ".join(
            f"{p['label']} {p['probability']:.2f}" for p in result["predictions"]
        )

    return answer_videos(args, answer, (f"top-{args.top}", as_text))


def run_caption(args):
    if is_saved_model(args.model):
        import tensorflow as tf

        serve = tf.saved_model.load(args.model).signatures["serving_default"]

        def caption(frames):
            return (
                serve(frames=tf.constant(frames[None]))["caption"].numpy()[0].decode()
            )

    else:
        from keras_grurcn.captioning import VideoCaptioner

        model = load_task(args.model)
        if not isinstance(model, VideoCaptioner):
            raise CommandError(f"--model {args.model}: not a captioner.")

        def caption(frames):
            return model.generate(frames[None])["captions"][0]

    return answer_videos(
        args,
        lambda frames: {"caption": caption(frames)},
        ("caption", lambda result: result["caption"]),
    )
