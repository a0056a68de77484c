"""The project's error types: bad input (exit 2), and a tool convzoo runs that failed on good input (exit 1)."""


class ConvzooError(ValueError):
    """Input convzoo cannot use: a spec, a matrix, a roster, data or a file. The message is one line that says
    what is wrong, where, and what is accepted; the command line prints it and exits with status 2."""

    exit_status = 2


class EngineFailed(ConvzooError):
    """An engine convzoo runs (LuaLaTeX, Chromium) failed on a document convzoo made, or did not finish in time:
    no fault of the input, so the command line exits with status 1, with one line (the engine's first error
    line, or what happened)."""

    exit_status = 1
