"""`grurcn evaluate`: score a trained task on a percept cache."""

import os

from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.model_files import load_task
from keras_grurcn.cli.reporting import print_table


def add_parser(commands, formatter):
    evaluate = commands.add_parser(
        "evaluate",
        help="score a trained .keras model on a percept cache",
        formatter_class=formatter,
    )
    evaluate.add_argument(
        "--model", required=True, help="a preset folder (WORKDIR/preset) or .keras file"
    )
    evaluate.add_argument("--cache", required=True, help="percept cache to score on")
    evaluate.add_argument(
        "--output", default=None, help="folder for the report and plots"
    )
    evaluate.add_argument(
        "--beam-width", type=positive_int, default=5, help="captioners"
    )
    evaluate.set_defaults(handler=run_evaluate)
    return evaluate


def run_evaluate(args):
    from keras_grurcn import data
    from keras_grurcn.captioning import VideoCaptioner

    model = load_task(args.model)
    levels = model.backbone_input_names
    if isinstance(model, VideoCaptioner):
        _evaluate_captioner(model, levels, args)
        return
    model.compile()
    scores = model.evaluate(
        data.percept_dataset(args.cache, 8, levels=levels), return_dict=True, verbose=0
    )
    print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in scores.items()])
    if args.output:
        import json

        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, "evaluation.json"), "w") as file:
            json.dump({k: float(v) for k, v in scores.items()}, file, indent=2)


def _evaluate_captioner(model, levels, args):
    from keras_grurcn import data
    from keras_grurcn.captioning import evaluate_captioner

    # Two passes in the cache's fixed order: video ids, then references.
    with_ids = data.percept_dataset(args.cache, 8, levels=levels, target="video_id")
    with_captions = data.percept_dataset(args.cache, 8, target="captions")
    references = {}
    for (_, ids), (_, captions) in zip(with_ids, with_captions):
        for video_id, video_captions in zip(ids.numpy(), captions.to_list()):
            references[video_id.decode()] = [c.decode() for c in video_captions]
    batches = (
        (inputs, [video_id.decode() for video_id in ids.numpy()])
        for inputs, ids in with_ids
    )
    report = evaluate_captioner(
        model, batches, references, beam_width=args.beam_width, output_dir=args.output
    )
    print_table(
        ("metric", "score"), [(k, f"{v:.4f}") for k, v in report["scores"].items()]
    )
    for example in report["examples"][:3]:
        print(f"{example['id']}: {example['caption']!r}")
        for reference in example["references"][:3]:
            print(f"    reference: {reference!r}")
    if args.output:
        print(f"Scores and captions.jsonl in {args.output}")
