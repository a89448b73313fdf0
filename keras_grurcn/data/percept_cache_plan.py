"""Starting, resuming and finishing a percept cache, whichever runner writes it.

`prepare_plan` records what a run is started with in `progress.json` (or
checks a rerun against it), `pending_shards` says which shards still need
writing (missing or broken ones; good ones are kept), and `finalize_cache`
writes `failures.jsonl` and `cache_info.json` once every shard is done.
"""

import hashlib
import json
import math

import tensorflow as tf

from keras_grurcn.data.percept_cache_format import CACHE_INFO
from keras_grurcn.data.percept_cache_format import FAILURES
from keras_grurcn.data.percept_cache_format import PROGRESS
from keras_grurcn.data.percept_cache_format import cache_path
from keras_grurcn.data.percept_cache_format import shard_name
from keras_grurcn.data.percept_cache_metadata import PerceptCacheError
from keras_grurcn.data.percept_cache_metadata import check_plan
from keras_grurcn.data.percept_cache_metadata import read_json
from keras_grurcn.data.percept_cache_shards import completed_shard
from keras_grurcn.data.percept_cache_shards import remove_partials
from keras_grurcn.data.percept_cache_shards import write_json
from keras_grurcn.data.percept_cache_shards import write_text
from keras_grurcn.data.percept_cache_storage import check_percept_dtype


def fingerprint_entries(entries):
    """A hash of the inputs' order and targets: a resumed run must match it."""
    digest = hashlib.sha256()
    for entry in entries:
        row = [entry.path, entry.label, entry.video_id, list(entry.captions)]
        digest.update(json.dumps(row).encode() + b"\n")
    return digest.hexdigest()


def num_shards(num_inputs, examples_per_shard):
    return math.ceil(num_inputs / examples_per_shard)


def prepare_plan(
    output_dir,
    *,
    examples_per_shard,
    num_inputs,
    dtype,
    fingerprint=None,
    command=None,
    calibrate=None,
    modality="rgb",
    flow=None,
):
    """The run's plan: the one in `progress.json` if resuming, else a new one.

    Args:
        output_dir: the cache folder (created if missing).
        examples_per_shard: inputs per shard.
        num_inputs: how many inputs (None if unknown until read).
        dtype: the storage dtype.
        fingerprint: `fingerprint_entries` of video inputs (None otherwise).
        command: the command that reruns this extraction, quoted in errors.
        calibrate: for uint8, a function returning `(levels, quantization)`;
            called only when no earlier run recorded them.
        modality: what was decoded: `"rgb"` frames or `"flow"` images.
        flow: for flow, `flow_record(method, bound)`.

    Returns:
        The plan dict (as written to `progress.json`).
    """
    check_percept_dtype(dtype)
    if examples_per_shard < 1:
        raise ValueError(f"examples_per_shard must be >= 1, got {examples_per_shard}.")
    output_dir = str(output_dir)
    tf.io.gfile.makedirs(output_dir)
    path = cache_path(output_dir, PROGRESS)
    if tf.io.gfile.exists(path):
        plan = check_plan(read_json(path, tf.io.gfile), path)
        _check_resume(
            plan,
            path,
            examples_per_shard,
            num_inputs,
            dtype,
            fingerprint,
            (modality, flow),
        )
        if command and plan.get("command") != command:
            plan["command"] = command
            write_json(path, plan)
        return plan
    plan = {
        "examples_per_shard": examples_per_shard,
        "num_inputs": num_inputs,
        "inputs_fingerprint": fingerprint,
        "dtype": dtype,
        "levels": None,
        "quantization": None,
        "command": command,
        "modality": modality,
        "flow": flow,
    }
    if dtype == "uint8":
        plan["levels"], plan["quantization"] = calibrate()
    write_json(path, plan)
    return plan


def _check_resume(
    plan, path, examples_per_shard, num_inputs, dtype, fingerprint, inputs
):
    differences = []
    recorded = (plan.get("modality", "rgb"), plan.get("flow"))
    if recorded != inputs:
        differences.append(
            f"{_describe_inputs(*recorded)} (now {_describe_inputs(*inputs)})"
        )
    if plan["examples_per_shard"] != examples_per_shard:
        differences.append(
            f"examples_per_shard={plan['examples_per_shard']} (now {examples_per_shard})"
        )
    if plan["dtype"] != dtype:
        differences.append(f"percept dtype {plan['dtype']} (now {dtype})")
    if (
        None not in (plan["num_inputs"], num_inputs)
        and plan["num_inputs"] != num_inputs
    ):
        differences.append(f"{plan['num_inputs']} inputs (now {num_inputs})")
    elif None not in (plan.get("inputs_fingerprint"), fingerprint) and (
        plan["inputs_fingerprint"] != fingerprint
    ):
        differences.append("other videos, or the same in another order")
    if differences:
        raise PerceptCacheError(
            path,
            "this folder holds a cache written with "
            + "; ".join(differences)
            + ". Pass the same inputs and settings to resume it, or use an "
            "empty folder.",
        )


def _describe_inputs(modality, flow):
    if modality != "flow":
        return "RGB frames"
    return f"{flow['method']} flow images (bound {flow['bound']:g})"


def pending_shards(output_dir, plan, count, verify):
    """The shards of `range(count)` that are missing or broken.

    When any is, the cache is marked incomplete first (`mark_incomplete`).
    """
    per_shard = plan["examples_per_shard"]
    pending = [
        shard
        for shard in range(count)
        if completed_shard(output_dir, shard, per_shard, verify) is None
    ]
    if pending:
        mark_incomplete(output_dir)
    return pending


def mark_incomplete(output_dir):
    """Before shards are rewritten: remove `cache_info.json` and `failures.jsonl`
    (the cache is incomplete until the run ends) and what interrupted runs
    left half-written."""
    for name in (CACHE_INFO, FAILURES):
        if tf.io.gfile.exists(cache_path(output_dir, name)):
            tf.io.gfile.remove(cache_path(output_dir, name))
    remove_partials(output_dir)


def finalize_cache(output_dir, plan, count, verify):
    """Write `failures.jsonl` and `cache_info.json` over `count` done shards."""
    per_shard = plan["examples_per_shard"]
    summaries = []
    for shard in range(count):
        summary = completed_shard(output_dir, shard, per_shard, verify)
        if summary is None:
            raise PerceptCacheError(
                cache_path(output_dir, shard_name(shard)),
                "was not written completely; run the writer again to finish it.",
            )
        summaries.append(summary)
    shapes = [s["levels"] for s in summaries if s["num_examples"]]
    if not shapes:
        raise ValueError(f"No clip could be cached in {str(output_dir)!r}.")
    levels = plan["levels"] or shapes[0]
    for summary in summaries:
        if summary["num_examples"] and summary["levels"] != levels:
            raise PerceptCacheError(
                cache_path(output_dir, summary["file"]),
                f"holds levels {summary['levels']}, the other shards {levels}.",
            )
    failures = [failure for s in summaries for failure in s["failures"]]
    write_text(
        cache_path(output_dir, FAILURES),
        "".join(json.dumps(failure) + "\n" for failure in failures),
    )
    clipped = {}
    for summary in summaries:
        for level, value in summary.get("clipped_values", {}).items():
            clipped[level] = clipped.get(level, 0) + value
    info = {
        "levels": levels,
        "dtype": plan["dtype"],
        "quantization": plan["quantization"],
        "num_examples": sum(s["num_examples"] for s in summaries),
        "num_captions": sum(s["num_captions"] for s in summaries),
        "num_failures": len(failures),
        "clipped_values": clipped if plan["dtype"] == "uint8" else None,
        "shards": [
            {
                key: s[key]
                for key in ("file", "num_examples", "num_captions", "num_bytes")
            }
            for s in summaries
        ],
        "examples_per_shard": per_shard,
        "command": plan.get("command"),
        "modality": plan.get("modality", "rgb"),
        "flow": plan.get("flow"),
        # Two caches of the same video list (an RGB and a flow cache) share it.
        "inputs_fingerprint": plan.get("inputs_fingerprint"),
    }
    write_json(cache_path(output_dir, CACHE_INFO), info)
    return info
