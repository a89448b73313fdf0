"""Counting and reporting the videos a pipeline skipped."""

import logging
import threading

logger = logging.getLogger("keras_grurcn.data")


class DecodeReport:
    """Collects the files a dataset skipped with `on_error="skip"`.

    Each skipped file is logged once as a warning on the
    `keras_grurcn.data` logger (with the running count) and kept in
    `failures`, so a long epoch over a real dataset neither stops on one bad
    file nor hides it. Thread-safe: decoding runs on `tf.data` threads.

    Examples:

    ```python
    report = keras_grurcn.data.DecodeReport()
    dataset = keras_grurcn.data.video_dataset(
        entries, num_frames=4, image_size=32, error_report=report
    )
    for batch in dataset:
        pass
    print(report.summary())  # "2 of the videos were skipped: ..."
    ```
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.failures = []

    @property
    def num_skipped(self):
        with self._lock:
            return len(self.failures)

    def record(self, error):
        """Record one `VideoDecodeError` (or any exception naming a file)."""
        path = getattr(error, "path", "?")
        reason = getattr(error, "reason", str(error))
        with self._lock:
            self.failures.append((path, reason))
            count = len(self.failures)
        logger.warning("Skipped video (%d skipped so far): %s", count, error)

    def summary(self):
        """One line per skipped file, headed by the count."""
        with self._lock:
            failures = list(self.failures)
        if not failures:
            return "No video was skipped."
        lines = [f"{len(failures)} of the videos were skipped:"]
        lines += [f"  {path}: {reason}" for path, reason in failures]
        return "\n".join(lines)
