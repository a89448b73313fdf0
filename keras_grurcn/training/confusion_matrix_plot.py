import numpy as np


def plot_confusion_matrix(
    confusion_matrix, class_names=None, path=None, normalize=True
):
    """Draws a confusion matrix and optionally saves it as a PNG.

    Rows are true classes, columns predicted ones; with `normalize` each row
    is divided by its number of videos, so the diagonal is the per-class
    accuracy. Uses matplotlib's object API (no pyplot global state), so it
    works in tests and on machines without a display.

    Args:
        confusion_matrix: `(classes, classes)` counts.
        class_names: tick labels; default the class indices. With more than
            40 classes the tick labels are left out (101 UCF classes do not
            fit legibly).
        path: where to write the PNG; nothing is written if `None`.
        normalize: plot row-normalised rates instead of counts.

    Returns:
        The `matplotlib.figure.Figure`.

    Raises:
        ImportError: when matplotlib is missing (`pip install
            keras-grurcn[plots]`).

    Examples:

    ```python
    figure = keras_grurcn.training.plot_confusion_matrix(
        np.array([[3, 1], [0, 4]]), ["walk", "run"], "/tmp/confusion.png"
    )
    ```
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "plot_confusion_matrix needs matplotlib: pip install 'keras-grurcn[plots]'."
        ) from error

    matrix = np.asarray(confusion_matrix, dtype="float64")
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(
            "plot_confusion_matrix: expected a square (classes, classes) "
            f"matrix; got shape {matrix.shape}."
        )
    num_classes = matrix.shape[0]
    if class_names is None:
        class_names = [str(index) for index in range(num_classes)]
    if len(class_names) != num_classes:
        raise ValueError(
            f"plot_confusion_matrix: {len(class_names)} class_names for a "
            f"{num_classes}x{num_classes} matrix."
        )
    if normalize:
        row_sums = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(
            matrix, row_sums, out=np.zeros_like(matrix), where=row_sums > 0
        )

    size = min(4 + 0.25 * num_classes, 30)
    figure = Figure(figsize=(size, size))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    image = axes.imshow(matrix, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    axes.set_title("Confusion matrix" + (" (row-normalised)" if normalize else ""))
    if num_classes <= 40:
        axes.set_xticks(range(num_classes), class_names, rotation=90)
        axes.set_yticks(range(num_classes), class_names)
    figure.tight_layout()
    if path is not None:
        figure.savefig(path, format="png", dpi=100)
    return figure
