"""Small output helpers shared by the CLI commands: tables and curves."""


def print_table(header, rows, log=print):
    """Prints rows as an aligned plain-text table."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    log(line.format(*header))
    log("  ".join("-" * width for width in widths))
    for row in rows:
        log(line.format(*row))


def save_training_curves(histories, path):
    """Plots loss and accuracy per epoch of several runs into one PNG.

    Args:
        histories: `{run name: keras History.history dict}`.
        path: the PNG to write.

    Returns:
        `path`.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "Plots need matplotlib: pip install 'keras-grurcn[plots]'."
        ) from error
    figure = Figure(figsize=(10, 4))
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, 2)
    for name, history in histories.items():
        for axis, metric in zip(axes, ("loss", "accuracy")):
            epochs = range(1, len(history[metric]) + 1)
            axis.plot(epochs, history[metric], label=f"{name} train")
            if f"val_{metric}" in history:
                axis.plot(epochs, history[f"val_{metric}"], "--", label=f"{name} test")
            axis.set_xlabel("epoch")
            axis.set_ylabel(metric)
    axes[1].legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path
