"""The model registry, after timm's and torchvision's: ``list_models()``, ``get(name)``, ``build(name, **kwargs)``.

A model is a function that returns its spec text, registered with one decorator that carries its reference and
its published numbers::

    @register("lenet5", reference="LeCun et al., 1998", published={"total_params": 61706})
    def lenet5(input=(32, 32, 1)):
        return "input 32x32x1, c1: conv 6@5x5 tanh, ..."

Every module in ``zoo/models/`` is imported on first use, so adding a model touches one file.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from .engine import NetworkResult, analyze
from .plugins import import_submodules
from .report import Analysis
from .spec import Layer, SpecError, did_you_mean, parse


@dataclass(frozen=True)
class ModelEntry:
    name: str
    make_spec: Callable[..., str]
    description: str
    reference: str
    # Numbers from the paper or the lecture: {"total_params": N, "layers": {name: {"output_shape": [...],
    # "params": N}}}. `zoo verify` holds the engine and Keras to them.
    published: dict = field(default_factory=dict)
    # True where the published network itself relies on Keras flooring a window that does not fit (ResNet-50's
    # 7x7/2 stem on 230 pixels): the engine then floors too, and the worked steps say so
    floor: bool = False

    @property
    def options(self) -> dict:
        """The keyword options the model accepts, with their defaults."""
        return {n: p.default for n, p in inspect.signature(self.make_spec).parameters.items()}

    def spec(self, **kwargs) -> str:
        unknown = sorted(set(kwargs) - set(self.options))
        if unknown:
            accepted = ", ".join(self.options) or "none"
            raise SpecError(f"{self.name} has no option {unknown[0]!r}; accepted: {accepted}")
        return self.make_spec(**kwargs)

    def layers(self, **kwargs) -> list[Layer]:
        text = self.spec(**kwargs)
        try:
            return parse(text)
        except SpecError as err:  # a built-in spec is never wrong by itself: say which option made it so
            raise SpecError(f"{self.name}{_describe(kwargs)}: {err}") from None

    def analyze(self, **kwargs) -> NetworkResult:
        layers = self.layers(**kwargs)
        try:
            return analyze(layers, floor=self.floor)
        except SpecError as err:
            raise SpecError(f"{self.name}{_describe(kwargs)}: layer {_layer_at(layers, err)}{err.message}") from None

    def summary(self, **kwargs) -> Analysis:
        """The model worked layer by layer, with its reference and whether it agrees with its published total."""
        result = self.analyze(**kwargs)
        notes = [f"Reference: {self.reference}"]
        total = self.published.get("total_params")
        if total is not None and not kwargs:  # the paper's number is for the model as published
            notes.append(
                f"Published total: {total:,} parameters ({'agrees' if total == result.total_params else 'DIFFERS'})"
            )
        return Analysis(result, self.name, self.description, tuple(notes))

    def published_differences(self, result: NetworkResult) -> list[str]:
        """Where ``result`` departs from the published numbers, one line each."""
        differences = []
        for name, facts in self.published.get("layers", {}).items():
            layer = result.layer(name)
            shape = list(layer.output_shape)
            if "output_shape" in facts and shape != facts["output_shape"]:
                differences.append(f"{name}: output shape {shape}, published {facts['output_shape']}")
            if "params" in facts and layer.trainable_params != facts["params"]:
                differences.append(f"{name}: params {layer.trainable_params:,}, published {facts['params']:,}")
            if "connections" in facts and layer.connections != facts["connections"]:
                differences.append(f"{name}: connections {layer.connections:,}, published {facts['connections']:,}")
        for key, found in (
            ("total_params", result.total_params),
            ("trainable_params", result.trainable_params),
            ("total_connections", result.total_connections),
        ):
            published = self.published.get(key)
            if published is not None and published != found:
                differences.append(f"{key.replace('_', ' ')} {found:,}, published {published:,}")
        return differences


def _describe(kwargs: dict) -> str:
    return " with " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()) if kwargs else ""


def _layer_at(layers: list[Layer], err: SpecError) -> str:
    named = next((layer.name for layer in layers if layer.where == err.where), None)
    return f"{named}: " if named else ""


_REGISTRY: dict[str, ModelEntry] = {}


def register(name: str, *, reference: str, description: str = "", published: dict | None = None, floor: bool = False):
    """Decorator: register a function returning a spec as the zoo model ``name``."""

    def decorate(make_spec: Callable[..., str]) -> Callable[..., str]:
        if name in _REGISTRY:
            raise ValueError(f"zoo model {name!r} is registered twice")
        doc = (make_spec.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = ModelEntry(
            name=name,
            make_spec=make_spec,
            description=description or (doc[0] if doc else ""),
            reference=reference,
            published=published or {},
            floor=floor,
        )
        return make_spec

    return decorate


def _load_models() -> None:
    import_submodules("convzoo.zoo.models")


def list_models() -> list[str]:
    _load_models()
    return sorted(_REGISTRY)


def get(name: str) -> ModelEntry:
    _load_models()
    if name not in _REGISTRY:
        raise SpecError(
            f"unknown zoo model '{name}'{did_you_mean(name, _REGISTRY)}; available: {', '.join(sorted(_REGISTRY))}"
        )
    return _REGISTRY[name]


def build(name: str, **kwargs):
    """Build zoo model ``name`` as a real ``keras.Model`` (imports Keras)."""
    from .keras.build import build_keras

    return build_keras(get(name).layers(**kwargs), name=name).model
