"""``python -m convzoo`` and the ``convzoo`` command: the command line."""

import sys


def run() -> int:
    """The exit status of ``convzoo`` with this process's arguments. A Ctrl-C while the command line is still
    loading ends the way one at any later moment does (one line, status 130); one that comes once the command
    has ended, while the interpreter shuts down, changes nothing. SIGTERM ends the command as Ctrl-C does (the
    processes it started and its temporary files go with it), and then the process, by SIGTERM."""
    import gc
    import signal  # built in, and loaded already by the interpreter: nothing of convzoo's is loaded here

    gc.disable()  # loading the command line makes many objects and frees few (questions/collector.py)
    try:
        from .questions.interrupts import Terminated, raise_terminated

        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, raise_terminated)
        from .cli import main
        from .questions.collector import process_ends_with_command
    except KeyboardInterrupt:
        sys.stderr.write(("\n" if sys.stderr.isatty() else "") + "convzoo: interrupted\n")  # as cli.py words it
        return 130
    except Terminated:
        return _end_by_sigterm()
    try:
        with process_ends_with_command():
            status = main()
    except Terminated:
        return _end_by_sigterm()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return status


def _end_by_sigterm() -> int:
    import os
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    return 143  # (not reached: the signal ends the process) as a shell reports SIGTERM


if __name__ == "__main__":
    sys.exit(run())
