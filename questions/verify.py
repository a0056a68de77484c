"""``--verify``: every key read again off real Keras layers (shapes, counts, convolutions, poolings) through
the kind's own ``key`` function, with KerasOracle (zoo/keras/build.py) in the place of the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .core import kinds


def keras_oracle():
    """The oracle that reads keys off Keras (starting TensorFlow: seconds)."""
    from ..zoo.keras.build import KerasOracle

    return KerasOracle()


def verify_keys(questions: list, oracle, progress: Callable[[list], Iterable] = iter) -> list[str]:
    """One line per question whose key ``oracle`` (``keras_oracle()``) does not give; ``progress`` wraps the
    questions (a progress bar)."""
    registry = kinds()
    problems = []
    for q in progress(questions):
        keras_answer = registry[q.kind].key(oracle, q)
        if keras_answer != q.answer:
            problems.append(f"question {q.id} ({q.kind}): key {q.answer!r}, Keras {keras_answer!r}")
    return problems
