"""`grurcn export`: a TF Serving SavedModel, a LiteRT streaming step or ONNX."""

from keras_grurcn.cli.argument_types import frame_size
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.model_files import load_task

EXPORT_FORMATS = ("savedmodel", "litert", "onnx")


def add_parser(commands, formatter):
    export = commands.add_parser(
        "export",
        help="write a TF Serving SavedModel, a LiteRT streaming step or ONNX",
        formatter_class=formatter,
    )
    export.add_argument(
        "--model", required=True, help="a preset folder (WORKDIR/preset) or .keras file"
    )
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="savedmodel",
        help="savedmodel (TF Serving, with streaming signatures), litert (the "
        "streaming step, .tflite) or onnx (the whole-clip classifier, .onnx)",
    )
    export.add_argument(
        "--out",
        required=True,
        help="savedmodel: version folder, e.g. models/grurcn/1; litert, onnx: the file",
    )
    export.add_argument(
        "--frame-size",
        type=frame_size,
        default=None,
        help="litert, onnx: HEIGHTxWIDTH of the frames clients send, resized "
        "inside (default: the model's image size)",
    )
    export.add_argument("--overwrite", action="store_true")
    export.set_defaults(handler=run_export)
    return export


def run_export(args):
    from keras_grurcn import export
    from keras_grurcn import models

    if args.format == "savedmodel" and args.frame_size is not None:
        raise CommandError(
            "--frame-size is for --format litert or onnx; the SavedModel takes "
            "frames of any size."
        )
    task = load_task(args.model)
    if args.format == "litert":
        path = export.export_litert(
            task, args.out, frame_size=args.frame_size, overwrite=args.overwrite
        )
        height, width = args.frame_size or task.preprocessor.image_size
        print(
            f"LiteRT model written to {path} (initial_state and stream: one "
            f"{height}x{width} uint8 frame at a time)"
        )
        return
    if args.format == "onnx":
        path = export.export_onnx(
            task, args.out, frame_size=args.frame_size, overwrite=args.overwrite
        )
        print(f"ONNX model written to {path} (uint8 frames of any length)")
        return
    path = export.export_saved_model(task, args.out, overwrite=args.overwrite)
    print(f"SavedModel written to {path} (serving_default takes uint8 frames)")
    refusal = models.task_streaming_refusal(task)
    if refusal is None:
        print("initial_state and stream classify a video frame by frame")
    elif isinstance(task, models.VideoClassifier):
        print(f"No streaming signatures: {task.name!r} cannot stream: {refusal}.")
