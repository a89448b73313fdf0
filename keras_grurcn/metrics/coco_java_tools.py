"""The two Java programs of coco-caption: Stanford's PTBTokenizer and METEOR 1.5.

Both jars ship in the `pycocoevalcap` wheel (`pip install keras-grurcn[captions]`)
and need a `java` executable on the PATH.
"""

import os
import shutil
import subprocess
import tempfile

from keras_grurcn.metrics.caption_tokenizer import COCO_PUNCTUATION

_PTB_JAR = os.path.join("tokenizer", "stanford-corenlp-3.4.1.jar")
_METEOR_JAR = os.path.join("meteor", "meteor-1.5.jar")


def _jar_path(relative_path):
    try:
        import pycocoevalcap
    except ImportError as error:
        raise ImportError(
            "The coco-caption Java scorers come with `pycocoevalcap`: "
            "`pip install keras-grurcn[captions]`."
        ) from error
    for directory in pycocoevalcap.__path__:
        path = os.path.join(directory, relative_path)
        if os.path.exists(path):
            return path
    raise ImportError(
        f"`pycocoevalcap` is installed but has no {relative_path}; reinstall it "
        "with `pip install --force-reinstall pycocoevalcap`."
    )


def java_scorers_available():
    """Whether METEOR 1.5 and the PTB tokenizer can run (java + pycocoevalcap).

    Returns:
        A tuple `(available, reason)`; `reason` says what is missing.

    Examples:

    ```python
    keras_grurcn.metrics.java_scorers_available()  # True with java + pycocoevalcap
    ```
    """
    if shutil.which("java") is None:
        return False, "no `java` executable on the PATH"
    try:
        _jar_path(_METEOR_JAR)
        _jar_path(_PTB_JAR)
    except ImportError as error:
        return False, str(error)
    return True, ""


def ptb_tokenize(captions):
    """Tokenises captions exactly as coco-caption does, with Stanford's jar.

    Args:
        captions: list of caption `str`.

    Returns:
        A list with one list of lower-cased tokens per caption, punctuation
        removed.

    Examples:

    ```python
    if keras_grurcn.metrics.java_scorers_available():
        keras_grurcn.metrics.ptb_tokenize({"v1": ["A man is cooking."]})
    ```
    """
    jar = _jar_path(_PTB_JAR)
    lines = [" ".join(caption.split()) for caption in captions]
    # The jar reads a file; write it to the temporary directory rather than
    # beside the jar as pycocoevalcap does (site-packages may be read-only).
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write("\n".join(lines))
    try:
        result = subprocess.run(
            ["java", "-cp", jar, "edu.stanford.nlp.process.PTBTokenizer"]
            + ["-preserveLines", "-lowerCase", file.name],
            capture_output=True,
            check=True,
        )
    finally:
        os.remove(file.name)
    output = result.stdout.decode("utf-8").split("\n")
    return [
        [token for token in line.split() if token not in COCO_PUNCTUATION]
        for line in output[: len(lines)]
    ]


def meteor_score(references, hypotheses):
    """METEOR 1.5 as coco-caption runs it (`-l en -norm`), corpus level.

    Args:
        references: list with, per video, a list of reference token lists.
        hypotheses: list with, per video, one hypothesis token list.

    Returns:
        A tuple `(corpus_score, per_video_scores)`.

    Examples:

    ```python
    if keras_grurcn.metrics.java_scorers_available():
        keras_grurcn.metrics.meteor_score(
            {"v1": ["a man is cooking"]}, {"v1": "a man is cooking"}
        )
    ```
    """
    jar = _jar_path(_METEOR_JAR)
    process = subprocess.Popen(
        ["java", "-jar", "-Xmx2G", os.path.basename(jar)]
        + ["-", "-", "-stdio", "-l", "en", "-norm"],
        cwd=os.path.dirname(jar),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )

    def read_line():
        line = process.stdout.readline().decode("utf-8").strip()
        if not line:
            raise RuntimeError(
                f"The METEOR 1.5 jar ({jar}) stopped answering (exit code "
                f"{process.poll()}); it needs about 2 GB of memory for the JVM."
            )
        return line

    def exchange(line):
        process.stdin.write((line + "\n").encode("utf-8"))
        process.stdin.flush()
        return read_line()

    try:
        statistics = []
        for video_references, hypothesis in zip(references, hypotheses):
            fields = [" ".join(reference) for reference in video_references]
            fields.append(" ".join(hypothesis))
            fields = [field.replace("|||", "") for field in fields]
            statistics.append(exchange(" ||| ".join(["SCORE"] + fields)))
        first = exchange(" ||| ".join(["EVAL"] + statistics))
        video_scores = [float(first)] + [float(read_line()) for _ in statistics[1:]]
        corpus_score = float(read_line())
    finally:
        # The jar is a long-lived server: close it here, not at garbage
        # collection (the leak older caption code had).
        process.stdin.close()
        process.wait(timeout=30)
        process.stdout.close()
    return corpus_score, video_scores
