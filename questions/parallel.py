"""The process pool: independent pieces of work (a quiz's versions, a report's pages) spread over the cores
in forked workers, with the same results as worked here, one after the other."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

from .interrupts import deferred_sigint

PARALLEL_FROM = 100  # items (versions) from which the work is spread over the cores


def pool_size(versions: int, parallel_from: int | None = None) -> int:
    """Worker processes for a large batch (each version is independent of the others), from ``parallel_from``
    items (PARALLEL_FROM, read when called); 1 means work here."""
    if versions < (PARALLEL_FROM if parallel_from is None else parallel_from):
        return 1
    import multiprocessing  # (only here: the module and its imports take longer than a small quiz)

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 4)


def _work_in_child(work: Callable[[list], Any], batch: list, results) -> None:
    """A worker: ``work(batch)`` (or the exception it raised) sent back through the pipe ``results``. Ctrl-C is
    the parent's to handle: a terminal sends SIGINT to every process of the group, and a worker that acted on
    it would print its own traceback; the parent ends the workers instead."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        results.send((True, work(batch)))
    except Exception as err:  # re-raised in the parent, where the command line reports it
        results.send((False, err))


def _in_workers(work: Callable[[list], Any], batches: list[list], meanwhile: Callable[[], Any] | None = None) -> list:
    """``work(batch)`` for each batch, each in a forked process (so ``work`` need not be picklable), and
    ``meanwhile()`` here while they work. However this ends (an error, Ctrl-C), no worker outlives it: they are
    killed, never waited for."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pipes, workers = [], []
    try:
        with deferred_sigint():  # no worker starts with Python's SIGINT handler
            for batch in batches:
                reader, writer = context.Pipe(duplex=False)
                worker = context.Process(target=_work_in_child, args=(work, batch, writer), daemon=True)
                worker.start()
                writer.close()
                pipes.append(reader)
                workers.append(worker)
        if meanwhile:
            meanwhile()
        done = [reader.recv() for reader in pipes]
    finally:
        with deferred_sigint():  # a second Ctrl-C cannot leave a worker behind
            for worker in workers:
                worker.kill()
                worker.join()
            for reader in pipes:
                reader.close()
    for succeeded, result in done:
        if not succeeded:
            raise result
    return [result for _, result in done]


def in_batches(
    items: list,
    work: Callable[[list], Any],
    meanwhile: Callable[[], Any] | None = None,
    parallel_from: int | None = None,
) -> list[tuple[list, Any]]:
    """(batch, work(batch)) for the items split into batches, spread over the cores when there are
    ``parallel_from`` or more (fewer where each item is a lot of work: a scanned file), and ``meanwhile()``
    (other work) in this process while the workers work; the same results whichever way, since each item's work
    depends on the item alone."""
    workers = pool_size(len(items), parallel_from)
    if workers == 1:
        if meanwhile:
            meanwhile()
        return [(batch, work(batch)) for batch in (items,)]
    # every n-th item, not runs of neighbours: workers writing runs of names into one folder (grade's pages) are
    # eight times slower on ext4 than workers writing names in turn
    batches = [items[w::workers] for w in range(workers)]
    return list(zip(batches, _in_workers(work, batches, meanwhile)))
