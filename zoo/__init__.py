"""convzoo's core: the layer-spec language (``zoo.spec``), the analytic engine (``zoo.engine``), the model
registry (``zoo.registry``); ``zoo.keras`` is the only part that imports Keras (and TensorFlow, and numpy).

Importing ``zoo`` imports neither TensorFlow, Keras nor numpy.
"""

from .engine import NetworkResult, analyze
from .registry import build, get, list_models, register
from .spec import SpecError, parse

__all__ = ["NetworkResult", "SpecError", "analyze", "build", "get", "list_models", "parse", "register"]
