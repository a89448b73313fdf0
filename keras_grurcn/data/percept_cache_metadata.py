"""Reading the percept cache's JSON files as untrusted input.

A cache may come from another machine or a bucket anyone can write to, so
each file is checked before anything is sized from it: types, bounds (no
shape or count that would allocate gigabytes), shard names (a bare
`percepts-NNNNN.tfrecord`, so no path can point outside the cache folder).
A bad file is a `PerceptCacheError` naming it and the field.
"""

import json
import math
import re

from keras_grurcn.data.percept_cache_storage import PERCEPT_DTYPES
from keras_grurcn.preprocessing.input_modality import FLOW_METHODS
from keras_grurcn.preprocessing.input_modality import MAX_FLOW_BOUND
from keras_grurcn.preprocessing.input_modality import MODALITIES

# Far above any real cache (Kinetics-400 at 256 clips per shard: ~1,200
# shards, ~150 kB of cache_info.json) and far below what would hurt.
MAX_METADATA_BYTES = 64 << 20
MAX_LEVELS = 64
MAX_RANK = 6
MAX_DIM = 1 << 20
MAX_VALUES_PER_CLIP = 1 << 28  # Per level: 512 MiB of float16, ~70x VGG pool2.
MAX_EXAMPLES = 10**9
MAX_SHARDS = 10**6
MAX_SHARD_BYTES = 1 << 50
MAX_TEXT = 4096
LEVEL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


class PerceptCacheError(ValueError):
    """A percept cache file is broken or not what its metadata says.

    Args:
        path: the offending file.
        problem: what is wrong and, where it helps, how to repair it.

    Examples:

    ```python
    import json, os

    os.makedirs("/tmp/crafted", exist_ok=True)
    with open("/tmp/crafted/cache_info.json", "w") as file:
        json.dump({"levels": {"pool2": [10**9, 10**9]}}, file)
    try:
        keras_grurcn.data.read_cache_info("/tmp/crafted")
    except keras_grurcn.data.PerceptCacheError as error:
        print(error.path, error.problem)  # ...: the file lacks dtype, ...
    ```
    """

    def __init__(self, path, problem):
        self.path = str(path)
        self.problem = str(problem)
        super().__init__(f"{self.path}: {self.problem}")

    def __reduce__(self):
        return type(self), (self.path, self.problem)


def read_json(path, gfile):
    """The parsed JSON object of `path` (opened with `gfile`), size-capped."""
    try:
        size = gfile.stat(path).length
    except Exception as error:  # noqa: BLE001 - any filesystem's "not found".
        raise PerceptCacheError(path, f"cannot be read ({error}).") from None
    if size > MAX_METADATA_BYTES:
        raise PerceptCacheError(
            path,
            f"is {size} bytes; a cache metadata file is at most "
            f"{MAX_METADATA_BYTES} bytes.",
        )
    with gfile.GFile(path, "rb") as file:
        text = file.read()
    try:
        content = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise PerceptCacheError(path, f"is not valid JSON ({error}).") from None
    if not isinstance(content, dict):
        raise PerceptCacheError(path, "must hold a JSON object.")
    return content


class _Checker:
    """Field checks that raise `PerceptCacheError(path, ...)`."""

    def __init__(self, path):
        self.path = path

    def fail(self, problem):
        raise PerceptCacheError(self.path, problem)

    def fields(self, content, required, where="the file"):
        if not isinstance(content, dict):
            self.fail(f"{where} must be a JSON object; got {type(content).__name__}.")
        missing = [key for key in required if key not in content]
        if missing:
            self.fail(f"{where} lacks {', '.join(missing)}.")

    def integer(self, value, where, low=0, high=MAX_EXAMPLES, optional=False):
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{where} must be an integer; got {value!r:.80}.")
        if not low <= value <= high:
            self.fail(f"{where} must be in {low}..{high}; got {value}.")
        return value

    def text(self, value, where, optional=False):
        if value is None and optional:
            return None
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            self.fail(f"{where} must be a string of at most {MAX_TEXT} characters.")
        return value

    def choice(self, value, where, choices):
        if value not in choices:
            self.fail(
                f"{where} must be one of {', '.join(choices)}; got {value!r:.80}."
            )
        return value

    def levels(self, levels, where="levels", optional=False):
        if levels is None and optional:
            return None
        if not isinstance(levels, dict) or not 1 <= len(levels) <= MAX_LEVELS:
            self.fail(f"{where} must map 1 to {MAX_LEVELS} level names to shapes.")
        for name, shape in levels.items():
            if not LEVEL_NAME.fullmatch(name):
                self.fail(
                    f"{where}: level name {name!r:.80} must be 1-64 letters, digits, "
                    "'_', '.' or '-'."
                )
            valid = (
                isinstance(shape, list)
                and 1 <= len(shape) <= MAX_RANK
                and all(
                    isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= MAX_DIM
                    for d in shape
                )
            )
            if not valid or math.prod(shape) > MAX_VALUES_PER_CLIP:
                self.fail(
                    f"{where}[{name!r}] must be a list of 1 to {MAX_RANK} sizes in "
                    f"1..{MAX_DIM} with at most {MAX_VALUES_PER_CLIP} values per clip; "
                    f"got {shape!r:.80}."
                )
        return levels

    def modality(self, content):
        """`modality` and `flow`: what the percepts were computed from.

        Caches written before flow caches existed lack both: RGB frames.
        """
        modality = self.choice(content.get("modality", "rgb"), "modality", MODALITIES)
        flow = content.get("flow")
        if modality == "rgb":
            if flow is not None:
                self.fail("flow must be null for an RGB cache.")
            return
        self.fields(flow, ("method", "bound"), "flow")
        self.choice(flow["method"], "flow.method", FLOW_METHODS)
        bound = flow["bound"]
        if (
            isinstance(bound, bool)
            or not isinstance(bound, (int, float))
            or not 0 < bound <= MAX_FLOW_BOUND
        ):
            self.fail(
                f"flow.bound must be a number in (0, {MAX_FLOW_BOUND:g}]; "
                f"got {bound!r:.80}."
            )
        for key in ("encoding", "frame_pairs"):
            self.text(flow.get(key), f"flow.{key}", optional=True)

    def quantization(self, content, levels):
        dtype = self.choice(content["dtype"], "dtype", PERCEPT_DTYPES)
        quantization = content.get("quantization")
        if dtype != "uint8":
            if quantization is not None:
                self.fail(f"quantization must be null for {dtype} percepts.")
            return
        if not isinstance(quantization, dict):
            self.fail("quantization must map each level to its scale and offset.")
        if levels is not None and set(quantization) != set(levels):
            self.fail("quantization must have exactly the levels of `levels`.")
        for name, code in quantization.items():
            self.fields(code, ("scale", "offset"), f"quantization[{name!r:.80}]")
            for key in ("scale", "offset"):
                value = code[key]
                if (
                    isinstance(value, bool)
                    or not isinstance(value, (int, float))
                    or not math.isfinite(value)
                    or (key == "scale" and value <= 0)
                ):
                    self.fail(
                        f"quantization[{name!r}][{key!r}] must be a finite number"
                        f"{' > 0' if key == 'scale' else ''}; got {value!r:.80}."
                    )


def check_cache_info(info, path, shard_name):
    """Validate a parsed `cache_info.json`; returns it."""
    check = _Checker(path)
    check.fields(
        info,
        (
            "levels",
            "dtype",
            "num_examples",
            "num_captions",
            "shards",
            "examples_per_shard",
        ),
    )
    levels = check.levels(info["levels"])
    check.quantization(info, levels)
    check.modality(info)
    check.text(info.get("inputs_fingerprint"), "inputs_fingerprint", optional=True)
    per_shard = check.integer(info["examples_per_shard"], "examples_per_shard", 1)
    check.integer(info["num_captions"], "num_captions", high=MAX_EXAMPLES * 1000)
    check.integer(info.get("num_failures", 0), "num_failures")
    check.text(info.get("command"), "command", optional=True)
    shards = info["shards"]
    if not isinstance(shards, list) or len(shards) > MAX_SHARDS:
        check.fail(f"shards must be a list of at most {MAX_SHARDS} shards.")
    for number, shard in enumerate(shards):
        where = f"shards[{number}]"
        check.fields(
            shard, ("file", "num_examples", "num_captions", "num_bytes"), where
        )
        if shard["file"] != shard_name(number):
            # Names are fixed by position: nothing else can be opened.
            check.fail(
                f"{where}.file must be {shard_name(number)!r}; got {shard['file']!r:.80}."
            )
        check.integer(shard["num_examples"], f"{where}.num_examples", high=per_shard)
        check.integer(
            shard["num_captions"], f"{where}.num_captions", high=MAX_EXAMPLES * 1000
        )
        check.integer(shard["num_bytes"], f"{where}.num_bytes", high=MAX_SHARD_BYTES)
    total = check.integer(info["num_examples"], "num_examples")
    if total != sum(shard["num_examples"] for shard in shards):
        check.fail(f"num_examples ({total}) is not the sum of the shards' counts.")
    return info


def check_plan(plan, path):
    """Validate a parsed `progress.json` (what a run was started with)."""
    check = _Checker(path)
    check.fields(plan, ("examples_per_shard", "num_inputs", "dtype", "levels"))
    check.integer(plan["examples_per_shard"], "examples_per_shard", 1)
    check.integer(plan["num_inputs"], "num_inputs", optional=True)
    levels = check.levels(plan["levels"], optional=True)
    check.quantization(plan, levels)
    check.modality(plan)
    check.text(plan.get("inputs_fingerprint"), "inputs_fingerprint", optional=True)
    check.text(plan.get("command"), "command", optional=True)
    return plan


def check_shard_summary(summary, path, shard, file_name, examples_per_shard):
    """Validate a shard's `percepts-NNNNN.summary.json` (written when done)."""
    check = _Checker(path)
    check.fields(
        summary,
        (
            "shard",
            "file",
            "num_examples",
            "num_captions",
            "num_bytes",
            "levels",
            "failures",
        ),
    )
    if summary["shard"] != shard or summary["file"] != file_name:
        check.fail(f"describes shard {summary['shard']!r:.40}, not {file_name!r}.")
    check.integer(summary["num_examples"], "num_examples", high=examples_per_shard)
    check.integer(summary["num_captions"], "num_captions", high=MAX_EXAMPLES * 1000)
    check.integer(summary["num_bytes"], "num_bytes", high=MAX_SHARD_BYTES)
    check.levels(summary["levels"], optional=summary["num_examples"] == 0)
    clipped = summary.get("clipped_values", {})
    if not isinstance(clipped, dict):
        check.fail("clipped_values must map levels to counts.")
    for name, count in clipped.items():
        check.integer(count, f"clipped_values[{name!r:.80}]", high=1 << 62)
    failures = summary["failures"]
    if not isinstance(failures, list) or len(failures) > examples_per_shard:
        check.fail(f"failures must be a list of at most {examples_per_shard} videos.")
    for number, failure in enumerate(failures):
        where = f"failures[{number}]"
        check.fields(failure, ("index", "path", "reason", "video_id"), where)
        check.integer(failure["index"], f"{where}.index", high=MAX_EXAMPLES * 10)
        for key in ("path", "reason", "video_id"):
            check.text(failure[key], f"{where}.{key}")
    return summary
