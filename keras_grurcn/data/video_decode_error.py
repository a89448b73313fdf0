"""The error every decoding failure is reported as."""


class VideoDecodeError(ValueError):
    """A video file could not be decoded: corrupt, truncated, empty or too big.

    The message always names the file and says what was wrong, e.g.
    `Could not decode video 'clips/a.avi': truncated, the header announces
    30 frames but only 4 could be decoded.`

    Args:
        path: path of the offending file.
        reason: what was wrong with it.

    Examples:

    ```python
    try:
        keras_grurcn.data.read_video("not_a_video.txt")
    except keras_grurcn.data.VideoDecodeError as error:
        print(error.path, error.reason)
    ```
    """

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = str(reason)
        super().__init__(f"Could not decode video {self.path!r}: {self.reason}")

    def __reduce__(self):
        return type(self), (self.path, self.reason)
