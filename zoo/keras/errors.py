"""The Keras side's one error: without TensorFlow, so that reading a photo (``photos``) needs none."""

from __future__ import annotations

from ..spec import SpecError


class TrainingError(SpecError):
    """Bad data, a bad model file, a run directory in the way, a picture that cannot be read: one line for the
    user."""
