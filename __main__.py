"""``python -m convzoo`` and the ``convzoo`` command: the command line."""

import sys


def run() -> int:
    """The exit status of ``convzoo`` with this process's arguments. A Ctrl-C while the command line is still
    loading ends the way one at any later moment does (one line, status 130); one that comes once the command
    has ended, while the interpreter shuts down, changes nothing."""
    try:
        from convzoo.cli import main
    except KeyboardInterrupt:
        sys.stderr.write(("\n" if sys.stderr.isatty() else "") + "convzoo: interrupted\n")  # as cli.py words it
        return 130
    import signal  # here, not above: nothing but sys is loaded before Ctrl-C is handled

    status = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return status


if __name__ == "__main__":
    sys.exit(run())
