"""Turns the CLI's `--videos DIR --layout ...` arguments into video entries."""

import os

LAYOUTS = ("folder", "ucf101", "msvd", "manifest")


def video_entries(videos, layout, *, split=1, subset="train", msvd_split_sizes=None):
    """The `VideoEntry` list for a dataset on disk.

    Args:
        videos: the dataset root (or the manifest file for `"manifest"`).
        layout: one of `LAYOUTS`.
        split: the UCF-101 split (1-3).
        subset: `"train"` or `"test"` (`"val"` and `"all"` too for MSVD);
            ignored by the folder and manifest layouts, which list
            everything.
        msvd_split_sizes: MSVD `(train, val, test)` sizes; default the
            standard 1200/100/670.

    Returns:
        `(entries, class_names)`; `class_names` is None for MSVD.
    """
    from keras_grurcn import data

    if layout not in LAYOUTS:
        raise ValueError(
            f"--layout must be one of {', '.join(LAYOUTS)}; got {layout!r}."
        )
    if not os.path.exists(videos):
        raise FileNotFoundError(f"--videos: {videos!r} does not exist.")
    if layout == "folder":
        return data.folder_entries(videos), data.folder_class_names(videos)
    if layout == "ucf101":
        entries = data.ucf101_entries(videos, split=split, subset=subset)
        return entries, data.ucf101_class_names(
            os.path.join(videos, "ucfTrainTestlist")
        )
    if layout == "msvd":
        sizes = msvd_split_sizes or data.STANDARD_SPLIT_SIZES
        return data.msvd_entries(videos, subset=subset, split_sizes=sizes), None
    entries = data.manifest_entries(videos)
    labels = sorted({entry.label for entry in entries if entry.label >= 0})
    return entries, [str(label) for label in range(max(labels) + 1)] if labels else None
