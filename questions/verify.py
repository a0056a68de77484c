"""``--verify``: every key read again off real Keras layers (shapes, counts, convolutions, poolings) through
the kind's own ``key`` function, with KerasOracle (zoo/keras/build.py) in the place of the engine."""

from __future__ import annotations

from typing import Callable, Iterable

from convzoo.questions.core import kinds


def verify_keys(questions: list, progress: Callable[[list], Iterable] = iter) -> list[str]:
    """One line per question whose key Keras does not give; ``progress`` wraps the questions (a progress bar)."""
    from convzoo.zoo.keras.build import KerasOracle  # imports TensorFlow

    registry = kinds()
    oracle = KerasOracle()
    problems = []
    for q in progress(questions):
        keras_answer = registry[q.kind].key(oracle, q)
        if keras_answer != q.answer:
            problems.append(f"question {q.id} ({q.kind}): key {q.answer!r}, Keras {keras_answer!r}")
    return problems
