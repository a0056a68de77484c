"""convzoo's core: the layer-spec language (``zoo.spec``), the analytic engine (``zoo.engine``), the model
registry (``zoo.registry``); ``zoo.keras`` is the only part that imports Keras (and TensorFlow, and numpy).

Importing ``zoo`` imports neither TensorFlow, Keras nor numpy.
"""

from convzoo.zoo.engine import NetworkResult, analyze
from convzoo.zoo.registry import build, get, list_models, register
from convzoo.zoo.spec import SpecError, parse

__all__ = ["NetworkResult", "SpecError", "analyze", "build", "get", "list_models", "parse", "register"]
