"""Users' own videos arranged one folder per class."""

import os

from keras_grurcn.data.video_entry import VideoEntry

VIDEO_EXTENSIONS = (".mp4", ".avi", ".webm", ".mkv", ".mov", ".mpg", ".mpeg", ".m4v")


def folder_class_names(root):
    """Sorted names of the class folders directly under `root`.

    Examples:

    ```python
    keras_grurcn.data.write_motion_videos("/tmp/motion", 8)
    keras_grurcn.data.folder_class_names("/tmp/motion")
    # ['down', 'left', 'right', 'up']
    ```
    """
    root = str(root)
    if not os.path.isdir(root):
        raise FileNotFoundError(f"folder_entries: {root!r} is not a directory.")
    return sorted(
        name
        for name in os.listdir(root)
        if os.path.isdir(os.path.join(root, name)) and not name.startswith(".")
    )


def folder_entries(root, *, class_names=None, extensions=VIDEO_EXTENSIONS):
    """Videos in `root/<class name>/...`, labelled by their class folder.

    Videos may sit in sub-folders of a class folder. Labels index
    `class_names`, by default the sorted class folder names (see
    `folder_class_names`), so the same tree always gives the same labels.

    Args:
        root: folder holding one folder per class.
        class_names: the classes, in label order; folders not listed are
            ignored, listed classes without a folder raise.
        extensions: file extensions counted as videos (case-insensitive).

    Returns:
        A list of `VideoEntry`, sorted by class then path.

    Examples:

    ```python
    keras_grurcn.data.write_motion_videos("/tmp/motion", 8, layout="folder")
    entries = keras_grurcn.data.folder_entries("/tmp/motion")
    ```
    """
    root = str(root)
    found = folder_class_names(root)
    class_names = list(found if class_names is None else class_names)
    absent = [name for name in class_names if name not in found]
    if absent:
        raise FileNotFoundError(
            f"folder_entries: no folder for classes {absent} under {root!r}."
        )
    extensions = tuple(e.lower() for e in extensions)
    entries = []
    for label, name in enumerate(class_names):
        for directory, _, files in sorted(os.walk(os.path.join(root, name))):
            for file_name in sorted(files):
                if file_name.lower().endswith(extensions):
                    entries.append(
                        VideoEntry(os.path.join(directory, file_name), label)
                    )
    if not entries:
        raise FileNotFoundError(
            f"folder_entries: no video files ({', '.join(extensions)}) under {root!r}."
        )
    return entries
