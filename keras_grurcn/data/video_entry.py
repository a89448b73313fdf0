"""The record every dataset reader returns: one video file and its targets."""

import dataclasses
import os


@dataclasses.dataclass(frozen=True)
class VideoEntry:
    """One video of a dataset: where it is and what it is labelled with.

    Every reader (`ucf101_entries`, `msvd_entries`, `folder_entries`,
    `manifest_entries`) returns a list of these, and `video_dataset` and
    `write_percept_cache` consume them.

    Args:
        path: path of the video file.
        label: integer class index, or -1 when the video has no class.
        captions: tuple of reference captions (empty when there are none).
        video_id: identifier of the video; defaults to the file name without
            its extension.

    Examples:

    ```python
    entry = keras_grurcn.data.VideoEntry("clips/left/0001.mp4", label=0)
    entry.video_id  # "0001"
    ```
    """

    path: str
    label: int = -1
    captions: tuple = ()
    video_id: str = ""

    def __post_init__(self):
        object.__setattr__(self, "path", str(self.path))
        object.__setattr__(self, "label", int(self.label))
        object.__setattr__(self, "captions", tuple(str(c) for c in self.captions))
        if not self.video_id:
            stem = os.path.splitext(os.path.basename(self.path))[0]
            object.__setattr__(self, "video_id", stem)
