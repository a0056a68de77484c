"""The project's error types: bad input, and an outside engine that failed."""


class ConvzooError(ValueError):
    """Input convzoo cannot use: a spec, a matrix, a roster, data or a file. The message is one line that says
    what is wrong, where, and what is accepted; the command line prints it and exits with status 2."""


class EngineFailed(ConvzooError):
    """An outside program convzoo runs (the PDF printer) failed or did not finish in time: no fault of the input,
    so the command line exits with status 1, still with one line that says what happened."""
