"""The project's one error type for bad input."""


class ConvzooError(ValueError):
    """Input convzoo cannot use: a spec, a matrix, a roster, data or a file. The message is one line that says
    what is wrong, where, and what is accepted; the command line prints it and exits with status 2."""
