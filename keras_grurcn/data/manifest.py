"""Users' own videos listed in a CSV or JSON manifest."""

import csv
import json
import os

from keras_grurcn.data.video_entry import VideoEntry


def _label_index(value, class_names, where):
    if value in (None, ""):
        return -1
    if isinstance(value, int) or str(value).lstrip("-").isdigit():
        return int(value)
    if class_names is None or value not in class_names:
        raise ValueError(
            f"{where}: label {value!r} is a class name; pass `class_names` "
            "listing it (or use integer labels)."
        )
    return class_names.index(value)


def _rows(path):
    extension = os.path.splitext(path)[1].lower()
    if extension == ".csv":
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            if "path" not in (reader.fieldnames or ()):
                raise ValueError(
                    f"{path}: the CSV needs a 'path' column, got {reader.fieldnames}."
                )
            return [(f"{path}:{i + 2}", row) for i, row in enumerate(reader)]
    if extension == ".json":
        with open(path, encoding="utf-8") as file:
            raw = json.load(file)
        if isinstance(raw, dict):  # {video_id: {"path": ..., ...}}
            raw = [dict(value, video_id=key) for key, value in raw.items()]
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise ValueError(
                f"{path}: expected a list of objects or a {{video_id: object}} map."
            )
        return [(f"{path}[{i}]", row) for i, row in enumerate(raw)]
    raise ValueError(f"{path}: manifests are .csv or .json, got {extension!r}.")


def manifest_entries(path, *, root=None, class_names=None):
    """Videos listed in a CSV or JSON manifest.

    CSV: a header with a `path` column and optional `label`, `caption` (or
    `captions`) and `video_id` columns. A video may take several rows (one
    per caption, as in MSVD's CSV); its rows are merged in order.

    JSON: a list of objects with the same keys (`captions` a list of
    strings), or an object mapping video ids to such objects.

    Labels are integers, or class names indexing `class_names`. Relative
    paths are resolved against `root`, by default the manifest's folder.

    Args:
        path: the manifest file (`.csv` or `.json`).
        root: base folder of relative video paths.
        class_names: class names in label order, for named labels.

    Returns:
        A list of `VideoEntry` in manifest order.

    Examples:

    ```python
    # clips.csv:  path,label,caption
    #             left/left_00000.mp4,0,a red square moves left
    entries = keras_grurcn.data.manifest_entries("/tmp/motion/clips.csv")
    ```
    """
    path = str(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"manifest_entries: no manifest at {path!r}.")
    root = os.path.dirname(os.path.abspath(path)) if root is None else str(root)
    class_names = None if class_names is None else list(class_names)
    merged = {}
    for where, row in _rows(path):
        if not row.get("path"):
            raise ValueError(f"{where}: empty 'path'.")
        # URLs (gs://..., read through tf.io.gfile by the cache writers)
        # are absolute, as are absolute paths (os.path.join keeps them).
        video_path = (
            row["path"] if "://" in row["path"] else os.path.join(root, row["path"])
        )
        captions = row.get("captions", row.get("caption")) or []
        if isinstance(captions, str):
            captions = [captions]
        label = _label_index(row.get("label"), class_names, where)
        record = merged.setdefault(
            video_path,
            {"label": label, "captions": [], "video_id": row.get("video_id") or ""},
        )
        if record["label"] != label:
            raise ValueError(
                f"{where}: {row['path']!r} has label {label} here and "
                f"{record['label']} on an earlier row."
            )
        record["captions"].extend(captions)
    return [
        VideoEntry(p, r["label"], tuple(r["captions"]), r["video_id"])
        for p, r in merged.items()
    ]
