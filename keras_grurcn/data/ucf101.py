"""UCF-101 read from its standard layout and official split lists."""

import logging
import os

from keras_grurcn.data.video_entry import VideoEntry

logger = logging.getLogger("keras_grurcn.data")


def _first_existing(*candidates):
    for candidate in candidates:
        if os.path.isdir(candidate):
            return candidate
    return candidates[-1]


def _read_lines(path):
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"UCF-101 split file {path!r} not found; expected the official "
            "'ucfTrainTestlist' files (classInd.txt, trainlist0N.txt, "
            "testlist0N.txt)."
        )
    with open(path, encoding="utf-8") as file:
        return [line.strip() for line in file if line.strip()]


def ucf101_class_names(list_dir):
    """Class names in label order, read from `classInd.txt` ("1 ApplyEyeMakeup").

    Examples:

    ```python
    keras_grurcn.data.write_motion_videos("/tmp/ucf", 8, layout="ucf101")
    keras_grurcn.data.ucf101_class_names("/tmp/ucf/ucfTrainTestlist")
    ```
    """
    names = {}
    path = os.path.join(list_dir, "classInd.txt")
    for line_number, line in enumerate(_read_lines(path), start=1):
        parts = line.split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise ValueError(
                f"{path}:{line_number}: expected '<index> <ClassName>', got {line!r}."
            )
        names[int(parts[0])] = parts[1]
    if sorted(names) != list(range(1, len(names) + 1)):
        raise ValueError(f"{path}: class indices must be 1..{len(names)}.")
    return [names[i] for i in range(1, len(names) + 1)]


def ucf101_entries(
    root, *, split=1, subset="train", video_dir=None, list_dir=None, skip_missing=False
):
    """The videos of one UCF-101 split, read from the files on disk.

    Expects the standard layout: `root/UCF-101/<Class>/v_<Class>_gXX_cYY.avi`
    (or the class folders directly under `root`) and the official lists in
    `root/ucfTrainTestlist/` (or `root`): `classInd.txt`,
    `trainlist0{1,2,3}.txt` (`<Class>/<file>.avi <label>`) and
    `testlist0{1,2,3}.txt` (`<Class>/<file>.avi`). Labels are 0-based
    (`classInd.txt` is 1-based); class folders are matched to `classInd.txt`
    case-insensitively (the official lists spell a few differently).

    Args:
        root: dataset root.
        split: 1, 2 or 3.
        subset: `"train"` or `"test"`.
        video_dir: folder of the class folders, overriding the default.
        list_dir: folder of the split lists, overriding the default.
        skip_missing: drop listed files that are not on disk (logging how
            many) instead of raising `FileNotFoundError`.

    Returns:
        A list of `VideoEntry` in list order.

    Examples:

    ```python
    keras_grurcn.data.write_motion_videos("/tmp/ucf", 16, layout="ucf101")
    train = keras_grurcn.data.ucf101_entries("/tmp/ucf", split=1, subset="train")
    ```
    """
    if split not in (1, 2, 3):
        raise ValueError(f"split must be 1, 2 or 3, got {split!r}.")
    if subset not in ("train", "test"):
        raise ValueError(f"subset must be 'train' or 'test', got {subset!r}.")
    root = str(root)
    video_dir = video_dir or _first_existing(os.path.join(root, "UCF-101"), root)
    list_dir = list_dir or _first_existing(os.path.join(root, "ucfTrainTestlist"), root)
    class_names = ucf101_class_names(list_dir)
    label_of = {name.lower(): index for index, name in enumerate(class_names)}
    list_path = os.path.join(list_dir, f"{subset}list0{split}.txt")
    entries, missing = [], []
    for line_number, line in enumerate(_read_lines(list_path), start=1):
        relative = line.split()[0].replace("\\", "/")
        class_folder = relative.split("/")[0]
        if class_folder.lower() not in label_of:
            raise ValueError(
                f"{list_path}:{line_number}: class folder {class_folder!r} is not "
                "in classInd.txt."
            )
        path = os.path.join(video_dir, *relative.split("/"))
        if not os.path.isfile(path):
            missing.append(path)
            continue
        entries.append(VideoEntry(path, label_of[class_folder.lower()]))
    if missing and not skip_missing:
        raise FileNotFoundError(
            f"{len(missing)} videos listed in {list_path} are not under "
            f"{video_dir}, e.g. {missing[0]!r}. Pass skip_missing=True to drop "
            "them."
        )
    if missing:
        logger.warning(
            "ucf101_entries: skipped %d listed videos missing on disk.", len(missing)
        )
    return entries
