"""YouTube2Text / MSVD: video clips, caption annotations and the standard split."""

import collections
import csv
import json
import os

from keras_grurcn.data.caption_pickle import load_caption_pickle
from keras_grurcn.data.video_entry import VideoEntry

# The split of Venugopalan et al. / Yao et al. used by the paper: the first
# 1,200 clips (vid1..vid1200 in youtube_mapping.txt) train, the next 100
# validate, the last 670 test.
STANDARD_SPLIT_SIZES = (1200, 100, 670)
_SUBSETS = ("train", "val", "test")
_CSV_NAME = "MSR Video Description Corpus.csv"
_DEFAULT_ANNOTATIONS = (_CSV_NAME, "captions.json", "raw-captions.pkl")


_MAPPINGS = (dict, collections.OrderedDict, collections.defaultdict)


class _Budget:
    """Caps the tokens and characters read from one annotation file.

    A pickle may reference one object many times at two bytes a reference,
    so a small file can name the same long token list a million times;
    joining each copy would take time and memory far beyond the file's
    size. Real annotations hold fewer characters than their file has bytes.
    """

    def __init__(self, path):
        self.path = path
        self.left = 8 * os.path.getsize(path) + 1_000_000

    def spend(self, amount):
        self.left -= amount
        if self.left < 0:
            raise ValueError(
                f"{self.path}: its captions expand far beyond the file's size "
                "(one object referenced over and over); not an annotation file."
            )


def _caption_text(caption, where, budget):
    if isinstance(caption, dict):
        # Yao et al.'s CAP.pkl: {"caption": raw text, "tokenized": ..., ...}.
        text = dict.get(caption, "caption", dict.get(caption, "tokenized"))
        if isinstance(text, str):
            caption = text
    if isinstance(caption, str):
        budget.spend(len(caption))
        return caption.strip()
    if isinstance(caption, list | tuple):  # A token list.
        budget.spend(len(caption))
        if not all(isinstance(token, str) for token in caption):
            raise ValueError(f"{where}: expected a caption made of string tokens.")
        text = " ".join(caption)
        budget.spend(len(text))
        return text
    raise ValueError(
        f"{where}: expected a caption (a string, a token list or a dict with a "
        f"'caption' string), got {type(caption).__name__}."
    )


def _captions_from_mapping(raw, path):
    """`{video_id: [captions]}` checked and normalised, naming what is wrong."""
    if type(raw) not in _MAPPINGS:
        raise ValueError(
            f"{path}: expected a mapping {{video_id: [captions]}}, got "
            f"{type(raw).__name__}."
        )
    budget = _Budget(path)
    captions = {}
    # dict.items, not raw.items: a pickled OrderedDict may carry attributes
    # shadowing its methods.
    for video_id, video_captions in dict.items(raw):
        if isinstance(video_id, bool) or not isinstance(video_id, str | int):
            raise ValueError(
                f"{path}: expected string video ids, got {type(video_id).__name__}."
            )
        where = f"{path}: video {video_id!r}"
        if isinstance(video_captions, str):
            video_captions = [video_captions]
        if not isinstance(video_captions, list | tuple):
            raise ValueError(
                f"{where}: expected a list of captions, got "
                f"{type(video_captions).__name__}."
            )
        budget.spend(len(video_captions) + 1)
        captions[str(video_id)] = [
            _caption_text(caption, where, budget) for caption in video_captions
        ]
    return captions


def read_msvd_captions(path, *, language="English"):
    """Read MSVD captions as `{video_id: [captions]}`.

    Accepts the MSR Video Description Corpus CSV (columns `VideoID`, `Start`,
    `End`, ..., `Language`, `Description`; only `language` rows are kept and
    the id is `<VideoID>_<Start>_<End>`, the clip's file name), or a JSON or
    pickle file already mapping `video_id` to a list of captions (strings,
    token lists, or dicts with a `"caption"` string as in Yao et al.'s
    `CAP.pkl`).

    Pickles are read as data: only dicts, lists, tuples, sets, strings and
    numbers are unpickled, and a file naming any class or function (which a
    plain `pickle.load` would import and call) is refused without running
    it; see `docs/security.md`.

    Args:
        path: the annotation file (`.csv`, `.json`, `.pkl`/`.pickle`).
        language: the CSV language to keep.

    Returns:
        A dict from video id to its list of captions, in file order.

    Raises:
        ValueError: the file is malformed, or is a pickle naming a global;
            the message names the file and what was wrong.

    Examples:

    ```python
    keras_grurcn.data.write_motion_videos("/tmp/msvd", 4, layout="msvd")
    captions = keras_grurcn.data.read_msvd_captions(
        "/tmp/msvd/MSR Video Description Corpus.csv"
    )
    len(captions)  # 4 videos, each with its list of captions
    ```
    """
    path = str(path)
    extension = os.path.splitext(path)[1].lower()
    if extension == ".csv":
        captions = {}
        with open(path, newline="", encoding="utf-8", errors="replace") as file:
            reader = csv.DictReader(file)
            required = {"VideoID", "Start", "End", "Language", "Description"}
            if not required <= set(reader.fieldnames or ()):
                raise ValueError(
                    f"{path}: expected the MSR Video Description Corpus columns "
                    f"{sorted(required)}, got {reader.fieldnames}."
                )
            for row in reader:
                if row["Language"] != language or not row["Description"]:
                    continue
                video_id = f"{row['VideoID']}_{row['Start']}_{row['End']}"
                captions.setdefault(video_id, []).append(row["Description"].strip())
        return captions
    if extension == ".json":
        with open(path, encoding="utf-8") as file:
            try:
                raw = json.load(file)
            except (ValueError, RecursionError) as error:
                raise ValueError(f"{path}: not valid JSON ({error}).") from None
    elif extension in (".pkl", ".pickle"):
        raw = load_caption_pickle(path)
    else:
        raise ValueError(
            f"{path}: unknown caption format {extension!r}; expected .csv, .json "
            "or .pkl."
        )
    return _captions_from_mapping(raw, path)


def _read_mapping(path):
    """`youtube_mapping.txt`: `<clip name> vid<N>` per line -> {clip name: N}."""
    order = {}
    with open(path, encoding="utf-8") as file:
        for line_number, line in enumerate(file, start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].startswith("vid"):
                raise ValueError(
                    f"{path}:{line_number}: expected '<clip> vid<N>', got {line!r}."
                )
            order[parts[0]] = int(parts[1][3:])
    return order


def msvd_entries(
    root,
    *,
    subset="train",
    video_dir=None,
    annotations=None,
    mapping=None,
    split_sizes=STANDARD_SPLIT_SIZES,
    language="English",
):
    """The clips and captions of one MSVD subset, read from the files on disk.

    Expects `root/YouTubeClips/<id>_<start>_<end>.avi` (or the clips under
    `root`), an annotation file (by default the first present of
    `MSR Video Description Corpus.csv`, `captions.json`, `raw-captions.pkl`
    in `root`) and, for the standard split, `root/youtube_mapping.txt`.
    Clips are ordered by their `vid<N>` number in the mapping (clips keyed
    `vid<N>` in the annotations are renamed to their clip name); without a
    mapping, by sorted clip name (not the official split). The first
    `split_sizes[0]` clips are `"train"`, the next `split_sizes[1]` `"val"`,
    the next `split_sizes[2]` `"test"`. Clips without captions or without a
    video file are left out.

    Args:
        root: dataset root.
        subset: `"train"`, `"val"`, `"test"` or `"all"`.
        video_dir: folder of the clips, overriding the default.
        annotations: caption file, see `read_msvd_captions`.
        mapping: `youtube_mapping.txt`, overriding the default.
        split_sizes: `(train, val, test)` sizes; 1200/100/670 by default.
        language: CSV language to keep.

    Returns:
        A list of `VideoEntry` with `captions` (and `label=-1`).

    Examples:

    ```python
    keras_grurcn.data.write_motion_videos("/tmp/msvd", 12, layout="msvd")
    train = keras_grurcn.data.msvd_entries("/tmp/msvd", split_sizes=(8, 2, 2))
    ```
    """
    if subset not in _SUBSETS + ("all",):
        raise ValueError(
            f"subset must be one of {_SUBSETS + ('all',)}, got {subset!r}."
        )
    root = str(root)
    video_dir = video_dir or os.path.join(root, "YouTubeClips")
    if not os.path.isdir(video_dir):
        video_dir = root
    if annotations is None:
        found = [
            n for n in _DEFAULT_ANNOTATIONS if os.path.isfile(os.path.join(root, n))
        ]
        if not found:
            raise FileNotFoundError(
                f"No MSVD caption file in {root!r}; expected one of "
                f"{list(_DEFAULT_ANNOTATIONS)} or an `annotations=` path."
            )
        annotations = os.path.join(root, found[0])
    captions = read_msvd_captions(annotations, language=language)
    mapping = mapping or os.path.join(root, "youtube_mapping.txt")
    files = {
        os.path.splitext(name)[0]: os.path.join(video_dir, name)
        for name in os.listdir(video_dir)
        if os.path.isfile(os.path.join(video_dir, name))
    }
    if os.path.isfile(mapping):
        order = _read_mapping(mapping)
        by_number = {f"vid{n}": clip for clip, n in order.items()}
        captions = {by_number.get(k, k): v for k, v in captions.items()}
        # The split is by vid number, so a missing file shifts nothing.
        rank = {c: order[c] - 1 for c in captions if c in order}
    else:
        rank = {c: i for i, c in enumerate(sorted(captions))}
    bounds = [0, split_sizes[0], split_sizes[0] + split_sizes[1], sum(split_sizes)]
    low, high = 0, bounds[-1]
    if subset != "all":
        index = _SUBSETS.index(subset)
        low, high = bounds[index], bounds[index + 1]
    clips = sorted((c for c in rank if low <= rank[c] < high), key=rank.__getitem__)
    clips = [c for c in clips if c in files]
    return [VideoEntry(files[c], -1, tuple(captions[c]), c) for c in clips]
