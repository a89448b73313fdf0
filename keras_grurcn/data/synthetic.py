"""Synthetic motion clips whose class is visible only in the motion.

A textured square moves left, right, up or down over a static noise
background, wrapping around the frame edges. Its colour, texture, start
position and the background are drawn independently of the class, and
because of the wrap-around every single frame has the same distribution
whatever the class: a frame-averaging model stays at chance while a model of
the motion (a GRU-RCN) can learn the task. `write_motion_videos` writes the
same clips as real video files in the layout of UCF-101, MSVD or a plain
folder-per-class tree, so tests exercise decoding end to end.

`appearance="flicker"` draws the task for optical flow instead
(`synthetic_flicker`): a camouflaged square of texture whose colours, and
the background's, are redrawn every frame without changing the grey levels
that move, so appearance changes from frame to frame while only the motion
carries the class.
"""

import csv
import json
import os

import numpy as np

from keras_grurcn.data.synthetic_flicker import draw_flickering_clips
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_writer import write_video

MOTION_CLASSES = ("left", "right", "up", "down")
APPEARANCES = ("steady", "flicker")
# (dy, dx) per frame, in units of the clip's speed, for each class above.
_MOTION_STEPS = ((0, -1), (0, 1), (-1, 0), (1, 0))
COLOURS = {
    "red": (230, 40, 40),
    "green": (40, 200, 60),
    "blue": (50, 80, 240),
    "yellow": (235, 220, 40),
    "cyan": (40, 220, 230),
    "magenta": (220, 50, 220),
    "white": (240, 240, 240),
    "orange": (245, 140, 30),
}
COLOUR_NAMES = tuple(COLOURS)
_CAPTION_TEMPLATES = (
    "a {colour} square moves {direction}",
    "a {colour} square is moving {direction}",
    "the {colour} block slides {direction}",
    "a {colour} box goes {direction}",
)
# UCF-101 style CamelCase class names used by the "ucf101" layout.
_UCF_CLASS_NAMES = ("MoveLeft", "MoveRight", "MoveUp", "MoveDown")


def caption_for(label, colour_name, variant=0):
    """Template caption of a motion clip, e.g. `"a red square moves left"`.

    Args:
        label: class index into `MOTION_CLASSES`.
        colour_name: one of `COLOUR_NAMES`.
        variant: which of the paraphrase templates to use (taken modulo
            their number), so a clip can have several reference captions.

    Returns:
        The caption string.

    Examples:

    ```python
    keras_grurcn.data.caption_for(0, "red")  # "a red square moves left"
    ```
    """
    if not 0 <= int(label) < len(MOTION_CLASSES):
        raise ValueError(
            f"caption_for: label must be in [0, {len(MOTION_CLASSES)}), got {label}."
        )
    template = _CAPTION_TEMPLATES[int(variant) % len(_CAPTION_TEMPLATES)]
    return template.format(colour=colour_name, direction=MOTION_CLASSES[int(label)])


def _draw_clips(
    num_clips, num_frames, image_size, patch_size, seed, speed, appearance="steady"
):
    if appearance not in APPEARANCES:
        raise ValueError(
            f"appearance must be one of {APPEARANCES}, got {appearance!r}."
        )
    if num_clips < 1 or num_frames < 1:
        raise ValueError(
            f"num_clips and num_frames must be >= 1, got {num_clips}, {num_frames}."
        )
    if not 1 <= patch_size < image_size:
        raise ValueError(
            f"patch_size must be in [1, image_size), got patch_size={patch_size}, "
            f"image_size={image_size}."
        )
    speed = max(1, image_size // 16) if speed is None else int(speed)
    if appearance == "flicker":
        frames, labels = draw_flickering_clips(
            num_clips, num_frames, image_size, patch_size, seed, speed, _MOTION_STEPS
        )
        return frames, labels, None
    rng = np.random.default_rng(seed)
    # Balanced classes, shuffled.
    labels = rng.permutation(np.arange(num_clips) % len(MOTION_CLASSES))
    colour_ids = rng.integers(0, len(COLOUR_NAMES), size=num_clips)
    palette = np.array([COLOURS[name] for name in COLOUR_NAMES], np.float32)
    frames = np.empty((num_clips, num_frames, image_size, image_size, 3), np.uint8)
    for i in range(num_clips):
        background = rng.uniform(0, 70, size=(image_size, image_size, 1))
        background = np.repeat(background, 3, axis=-1)
        texture = rng.uniform(0.55, 1.0, size=(patch_size, patch_size, 1))
        canvas = np.zeros((image_size, image_size, 3), np.float32)
        canvas[:patch_size, :patch_size] = texture * palette[colour_ids[i]]
        mask = np.zeros((image_size, image_size, 1), bool)
        mask[:patch_size, :patch_size] = True
        start_y, start_x = rng.integers(0, image_size, size=2)
        step_y, step_x = _MOTION_STEPS[labels[i]]
        for t in range(num_frames):
            shift = (start_y + step_y * speed * t, start_x + step_x * speed * t)
            moved_mask = np.roll(mask, shift, axis=(0, 1))
            moved = np.roll(canvas, shift, axis=(0, 1))
            frames[i, t] = np.where(moved_mask, moved, background).astype(np.uint8)
    return frames, labels.astype(np.int32), colour_ids


def make_motion_clips(
    num_clips,
    *,
    num_frames=8,
    image_size=32,
    patch_size=8,
    seed=0,
    speed=None,
    appearance="steady",
):
    """Generate the 4-class motion task as in-memory uint8 clips.

    Classes are `MOTION_CLASSES` = left, right, up, down (balanced). Each
    clip moves one textured `patch_size` square of a random named colour
    `speed` pixels per frame over a static noise background, wrapping
    around the edges. Appearance and start position are independent of the
    class, so a single frame carries no class information. Deterministic
    given `seed`.

    Args:
        num_clips: number of clips.
        num_frames: frames per clip.
        image_size: height and width of the frames.
        patch_size: side of the moving square.
        seed: seed of the NumPy generator.
        speed: pixels per frame; defaults to `max(1, image_size // 16)`.
        appearance: `"steady"` (a coloured square over noise) or
            `"flicker"` (a camouflaged square of texture, all colours
            redrawn every frame, grey levels kept: the task for optical
            flow, see the module docstring).

    Returns:
        `(frames, labels)`: uint8 `[N, T, H, W, 3]` in 0..255 and int32 `[N]`.

    Examples:

    ```python
    frames, labels = keras_grurcn.data.make_motion_clips(8, num_frames=4)
    frames.shape  # (8, 4, 32, 32, 3)
    ```
    """
    frames, labels, _ = _draw_clips(
        num_clips, num_frames, image_size, patch_size, seed, speed, appearance
    )
    return frames, labels


def make_captioned_motion_clips(
    num_clips,
    *,
    num_frames=8,
    image_size=32,
    patch_size=8,
    seed=0,
    speed=None,
    captions_per_clip=4,
    appearance="steady",
):
    """The clips of `make_motion_clips` (same seed, same clips) with captions.

    Returns:
        `(frames, labels, captions)`: as `make_motion_clips`, plus a list of
        `captions_per_clip` template captions per clip ("a red square moves
        left", paraphrased; "a flickering square ..." for `appearance=
        "flicker"`).

    Examples:

    ```python
    frames, labels, captions = keras_grurcn.data.make_captioned_motion_clips(
        2, num_frames=4
    )
    captions[0]  # four paraphrases, e.g. "a red square moves left"
    ```
    """
    frames, labels, colour_ids = _draw_clips(
        num_clips, num_frames, image_size, patch_size, seed, speed, appearance
    )
    colours = (
        ["flickering"] * num_clips
        if colour_ids is None
        else [COLOUR_NAMES[colour] for colour in colour_ids]
    )
    captions = [
        [caption_for(label, colour, variant) for variant in range(captions_per_clip)]
        for label, colour in zip(labels, colours)
    ]
    return frames, labels, captions


def _youtube_like_id(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(alphabet[i] for i in rng.integers(0, len(alphabet), size=11))


def write_motion_videos(
    directory,
    num_clips,
    *,
    num_frames=8,
    image_size=32,
    patch_size=8,
    layout="folder",
    seed=0,
    speed=None,
    fps=25,
    extension=None,
    captions_per_clip=4,
    appearance="steady",
):
    """Write the motion clips as real video files in a dataset layout.

    Layouts:
        - `"folder"`: `directory/<class>/<class>_<i>.mp4`, one folder per
          class, readable with `folder_entries(directory,
          class_names=MOTION_CLASSES)` (without `class_names` the labels
          follow the alphabetical folder order).
        - `"ucf101"`: `directory/UCF-101/<Class>/v_<Class>_gXX_cYY.avi` and
          `directory/ucfTrainTestlist/` with `classInd.txt`,
          `trainlist0{1,2,3}.txt` and `testlist0{1,2,3}.txt` (groups g01-g07,
          g08-g14 and g15-g21 are the test groups of splits 1-3, as in the
          official lists). Readable with `ucf101_entries`.
        - `"msvd"`: `directory/YouTubeClips/<id>_<start>_<end>.avi`,
          `directory/MSR Video Description Corpus.csv` (English rows plus one
          non-English row per clip), `directory/captions.json`
          (`{video_id: [captions]}`) and `directory/youtube_mapping.txt`
          (`<video_id> vid<N>`). Readable with `msvd_entries`.

    Args:
        directory: root directory to write into (created if missing).
        num_clips: number of clips.
        num_frames, image_size, patch_size, seed, speed, appearance: as
            `make_motion_clips`; the same seed gives the same clips.
        layout: `"folder"`, `"ucf101"` or `"msvd"`.
        fps: frame rate stored in the files.
        extension: file extension overriding the layout's default (`.mp4`
            for folder, `.avi` otherwise), e.g. `".webm"` or `".mkv"`.
        captions_per_clip: template captions per clip (MSVD layout).

    Returns:
        The list of `VideoEntry` written, in clip order.

    Examples:

    ```python
    entries = keras_grurcn.data.write_motion_videos("/tmp/motion", 8)
    entries[0].path  # "/tmp/motion/<class>/<class>_00000.mp4"
    ```
    """
    if layout not in ("folder", "ucf101", "msvd"):
        raise ValueError(
            f"layout must be 'folder', 'ucf101' or 'msvd', got {layout!r}."
        )
    frames, labels, captions = make_captioned_motion_clips(
        num_clips,
        num_frames=num_frames,
        image_size=image_size,
        patch_size=patch_size,
        seed=seed,
        speed=speed,
        captions_per_clip=captions_per_clip,
        appearance=appearance,
    )
    directory = str(directory)
    os.makedirs(directory, exist_ok=True)
    writer = {"folder": _write_folder, "ucf101": _write_ucf101, "msvd": _write_msvd}
    default_extension = ".mp4" if layout == "folder" else ".avi"
    return writer[layout](
        directory, frames, labels, captions, fps, extension or default_extension, seed
    )


def _write_folder(directory, frames, labels, captions, fps, extension, seed):
    entries = []
    for i, (clip, label) in enumerate(zip(frames, labels)):
        name = MOTION_CLASSES[label]
        path = os.path.join(directory, name, f"{name}_{i:05d}{extension}")
        write_video(path, clip, fps=fps)
        entries.append(VideoEntry(path, int(label), tuple(captions[i])))
    return entries


def _write_ucf101(directory, frames, labels, captions, fps, extension, seed):
    video_root = os.path.join(directory, "UCF-101")
    list_root = os.path.join(directory, "ucfTrainTestlist")
    os.makedirs(list_root, exist_ok=True)
    entries, relative_paths, groups = [], [], []
    seen_per_class = [0] * len(MOTION_CLASSES)
    clips_per_group = {}
    per_class = np.bincount(labels, minlength=len(MOTION_CLASSES))
    for i, (clip, label) in enumerate(zip(frames, labels)):
        name = _UCF_CLASS_NAMES[label]
        rank = seen_per_class[label]
        seen_per_class[label] += 1
        # Spread each class's clips evenly over the 25 groups (g01..g25), so
        # every split has test clips of every class once there are enough.
        group = 1 + (rank * 25) // per_class[label]
        clip_number = clips_per_group.get((name, group), 0) + 1
        clips_per_group[(name, group)] = clip_number
        relative = f"{name}/v_{name}_g{group:02d}_c{clip_number:02d}{extension}"
        path = os.path.join(video_root, relative)
        write_video(path, clip, fps=fps)
        entries.append(VideoEntry(path, int(label), tuple(captions[i])))
        relative_paths.append(relative)
        groups.append(group)
    with open(os.path.join(list_root, "classInd.txt"), "w") as file:
        for index, name in enumerate(_UCF_CLASS_NAMES):
            file.write(f"{index + 1} {name}\r\n")  # The official lists use CRLF.
    for split in (1, 2, 3):
        test_groups = range(7 * (split - 1) + 1, 7 * split + 1)
        with (
            open(os.path.join(list_root, f"trainlist0{split}.txt"), "w") as train,
            open(os.path.join(list_root, f"testlist0{split}.txt"), "w") as test,
        ):
            for relative, group, label in zip(relative_paths, groups, labels):
                if group in test_groups:
                    test.write(f"{relative}\r\n")
                else:
                    train.write(f"{relative} {label + 1}\r\n")
    return entries


def _write_msvd(directory, frames, labels, captions, fps, extension, seed):
    rng = np.random.default_rng([seed, 1])
    clip_root = os.path.join(directory, "YouTubeClips")
    entries, rows, caption_map, mapping = [], [], {}, []
    for i, (clip, label) in enumerate(zip(frames, labels)):
        youtube_id = _youtube_like_id(rng)
        start = int(rng.integers(0, 100))
        end = start + int(rng.integers(5, 15))
        video_id = f"{youtube_id}_{start}_{end}"
        path = os.path.join(clip_root, video_id + extension)
        write_video(path, clip, fps=fps)
        entries.append(VideoEntry(path, int(label), tuple(captions[i]), video_id))
        caption_map[video_id] = list(captions[i])
        mapping.append(f"{video_id} vid{i + 1}")
        for worker, caption in enumerate(captions[i]):
            rows.append(
                [youtube_id, start, end, worker, "clean", 10, "English", caption]
            )
        rows.append([youtube_id, start, end, 99, "unverified", 10, "French", "carré"])
    header = [
        "VideoID",
        "Start",
        "End",
        "WorkerID",
        "Source",
        "AnnotationTime",
        "Language",
        "Description",
    ]
    csv_path = os.path.join(directory, "MSR Video Description Corpus.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    with open(os.path.join(directory, "captions.json"), "w") as file:
        json.dump(caption_map, file, indent=1)
    with open(os.path.join(directory, "youtube_mapping.txt"), "w") as file:
        file.write("\n".join(mapping) + "\n")
    return entries
