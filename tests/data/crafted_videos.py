"""Small video files whose headers announce absurd sizes or frame counts.

Each costs milliseconds and kilobytes to write; what its header claims is
what a hostile or broken download could claim.
"""

import struct

import av
import numpy as np


def _encode(path, codec, pix_fmt, height, width, num_frames, options=None):
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.options = options or {}
        for index in range(num_frames):
            frame = av.VideoFrame.from_ndarray(
                np.full((height, width, 3), 40 * index, np.uint8), format="rgb24"
            )
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return str(path)


def avi_announcing(path, *, num_frames=None, size=None):
    """A 4-frame 16x16 MJPEG AVI whose headers announce `num_frames` or `size`.

    The frame count is patched into the main and stream headers
    (`avih.dwTotalFrames`, `strh.dwLength`), the size `(height, width)` into
    the main header, the stream format and every JPEG frame header, so that
    FFmpeg reports exactly what the file claims.
    """
    _encode(path, "mjpeg", "yuvj420p", 16, 16, 4)
    data = bytearray(open(path, "rb").read())
    main = data.find(b"avih") + 8
    stream = data.find(b"strh") + 8
    stream_format = data.find(b"strf") + 8
    if num_frames is not None:
        struct.pack_into("<I", data, main + 16, num_frames)
        struct.pack_into("<I", data, stream + 32, num_frames)
    if size is not None:
        height, width = size
        struct.pack_into("<II", data, main + 32, width, height)
        struct.pack_into("<ii", data, stream_format + 4, width, height)
        start = data.find(b"\xff\xc0")  # Baseline JPEG start-of-frame.
        while start >= 0:
            struct.pack_into(">HH", data, start + 5, height, width)
            start = data.find(b"\xff\xc0", start + 2)
    with open(path, "wb") as file:
        file.write(data)
    return str(path)


def repeated_frame_avi(path, num_frames, height, width):
    """A real MPEG-4 AVI of `num_frames` black frames, kilobytes on disk.

    One coded frame, then copies of one P-frame packet: 400 frames of 1080p
    take ~450 KB and decode to 2.3 GiB of RGB.
    """
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"g": str(num_frames + 1), "bf": "0"}
        black = av.VideoFrame(width, height, "yuv420p")
        for plane in black.planes:
            plane.update(bytes(plane.buffer_size))
        coded = []
        for index in range(2):
            black.pts = index
            coded += stream.encode(black)
        coded += stream.encode()
        for index in range(num_frames):
            packet = av.Packet(bytes(coded[0] if index == 0 else coded[-1]))
            packet.stream, packet.time_base = stream, coded[0].time_base
            packet.pts = packet.dts = index
            packet.is_keyframe = index == 0
            container.mux(packet)
    return str(path)
