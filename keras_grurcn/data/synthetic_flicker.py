"""Motion clips whose colours are redrawn every frame: a task for optical flow.

A square of texture moves left, right, up or down over a background of the
same texture statistics (camouflaged: no single frame shows where it is),
and every frame gets new colours: a random tint for the whole frame and
random colour noise per pixel. Both colour changes are isoluminant (they
leave `0.299 R + 0.587 G + 0.114 B`, the grey image optical flow is
computed on, unchanged), so the brightness pattern that moves is the same
in every frame while the RGB values change everywhere: appearance flickers,
the motion carries the class.
"""

import numpy as np

# Grey-level weights of OpenCV's RGB2GRAY (and of BT.601 luma).
LUMA = np.array([0.299, 0.587, 0.114])
# Two colour directions that change no grey level: an orthonormal basis of
# the plane orthogonal to LUMA.
_RED_GREEN = np.array([LUMA[1], -LUMA[0], 0.0]) / np.hypot(LUMA[0], LUMA[1])
_BLUE_YELLOW = np.cross(LUMA, _RED_GREEN) / np.linalg.norm(LUMA)
_CHROMA = np.stack([_RED_GREEN, _BLUE_YELLOW])


def _texture(rng, size, blur=1):
    """Blurred noise with values in 75..180 (room for the colour changes)."""
    texture = rng.uniform(0, 1, (size, size))
    for _ in range(blur):
        texture = sum(np.roll(texture, s, axis=0) for s in (-1, 0, 1)) / 3
        texture = sum(np.roll(texture, s, axis=1) for s in (-1, 0, 1)) / 3
    texture = (texture - texture.min()) / max(np.ptp(texture), 1e-6)
    return 75 + 105 * texture


def draw_flickering_clips(
    num_clips, num_frames, image_size, patch_size, seed, speed, steps
):
    """`(frames, labels)` of the flickering motion task (see the module).

    `steps[label]` is the class's `(dy, dx)` per frame, in units of `speed`
    (pixels, an int). The caller, `synthetic._draw_clips`, has checked the
    arguments.
    """
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(num_clips) % len(steps))
    frames = np.empty((num_clips, num_frames, image_size, image_size, 3), np.uint8)
    mask = np.zeros((image_size, image_size), bool)
    mask[:patch_size, :patch_size] = True
    for i in range(num_clips):
        background = _texture(rng, image_size)
        patch = _texture(rng, image_size)  # Same statistics: camouflage.
        start = rng.integers(0, image_size, size=2)
        step = np.array(steps[labels[i]]) * speed
        for t in range(num_frames):
            shift = tuple(start + step * t)
            moved = np.roll(mask, shift, axis=(0, 1))
            grey = np.where(moved, np.roll(patch, shift, axis=(0, 1)), background)
            tint = rng.normal(0, 30, 2) @ _CHROMA  # One colour per frame...
            noise = rng.normal(0, 20, (image_size, image_size, 2)) @ _CHROMA
            rgb = grey[..., None] + tint + noise  # ...and per pixel, new each frame.
            frames[i, t] = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    return frames, labels.astype(np.int32)
