"""`grurcn export`: a TF Serving SavedModel of a trained task."""

from keras_grurcn.cli.model_files import load_task


def add_parser(commands, formatter):
    export = commands.add_parser(
        "export",
        help="write a TF Serving SavedModel (uint8 frames in)",
        formatter_class=formatter,
    )
    export.add_argument(
        "--model", required=True, help="a preset folder (WORKDIR/preset) or .keras file"
    )
    export.add_argument(
        "--out", required=True, help="version folder, e.g. models/grurcn/1"
    )
    export.add_argument("--overwrite", action="store_true")
    export.set_defaults(handler=run_export)
    return export


def run_export(args):
    from keras_grurcn import export

    path = export.export_saved_model(
        load_task(args.model), args.out, overwrite=args.overwrite
    )
    print(f"SavedModel written to {path} (serving_default takes uint8 frames)")
