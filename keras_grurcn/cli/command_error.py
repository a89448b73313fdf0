class CommandError(Exception):
    """A user error the CLI reports in one line (exit status 2)."""
