"""A model file that ``convzoo train`` wrote, checked without TensorFlow: a ``.keras`` file is a zip archive of
config.json (the model's layers, with the shape of every tensor one layer hands another), metadata.json and
model.weights.h5. Reading the config takes milliseconds where loading the model takes TensorFlow's seconds, so
``explore`` refuses a file that is not a zoo model before it serves anything, and loads the model afterwards.

Neither TensorFlow nor numpy: the standard library, the registry and the engine."""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..engine import NetworkResult
from ..recipe import training_options
from ..registry import get, list_models
from ..spec import Layer
from .errors import TrainingError

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"  # the first 8 bytes of every HDF5 file
WEIGHTS = ("model.weights.h5", "model.weights.npz")  # the names Keras reads a .keras file's weights from
ASKED = "give the model.keras that convzoo train writes"


@dataclass(frozen=True)
class ZooModel:
    """A model file found to be a zoo model: the zoo model's name, the spec layers it was built from (with the
    run's options) and the engine's result for them."""

    path: Path
    name: str
    layers: list[Layer]
    engine: NetworkResult


def read_config(path: Path) -> dict:
    """The model config of a .keras file; one line (TrainingError) for a file that is not one: not a zip
    archive, a damaged one, no config.json or no weights in it, a config that is not JSON or not a model's."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _not_keras(path, "not a .keras archive") from None
    except OSError as err:
        raise TrainingError(f"{path}: cannot read it ({err.strerror or err})") from None
    with archive:
        try:
            text = _config_text(path, archive)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError) as err:
            # a bad CRC, a truncated member, an encrypted one, a compression zipfile does not read
            raise _not_keras(path, f"a damaged .keras archive: {err.__class__.__name__}") from None
    try:
        config = json.loads(text)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested past what json reads
        raise _not_keras(path, "its config.json is not JSON") from None
    if _name(config) is None:
        raise _not_keras(path, "its config.json describes no model")
    return config


def _config_text(path: Path, archive: zipfile.ZipFile) -> bytes:
    """config.json's bytes, once the archive is seen to hold the weights Keras will look for."""
    names = set(archive.namelist())
    if "config.json" not in names:
        raise _not_keras(path, "no config.json in the archive")
    if not names.intersection(WEIGHTS):
        raise _not_keras(path, "no model.weights.h5 in the archive: the model's weights are missing")
    if WEIGHTS[0] in names:
        with archive.open(WEIGHTS[0]) as weights:  # 8 bytes, not the whole file: a VGG's is half a gigabyte
            if weights.read(len(HDF5_SIGNATURE)) != HDF5_SIGNATURE:
                raise _not_keras(path, "its model.weights.h5 is not an HDF5 file")
    return archive.read("config.json")


def zoo_model(path: Path, config: dict, run: dict) -> ZooModel:
    """The zoo model that ``config`` (read_config's) was built from, with the options recorded in ``run`` (the
    run.json beside the file); one line if it is not one: a model of another name, or with a layer or a shape
    that the zoo model does not have. What the config does not record (the last layer's output) is checked
    once the model is loaded (``zoo.keras.explore.open_model``)."""
    name = _name(config)
    if name not in list_models():
        raise TrainingError(
            f"{path}: not a model convzoo trained (a Keras model named '{name}', and no zoo model has that name); "
            "explore takes the model.keras that convzoo train writes"
        )
    options = {
        k: tuple(v) if isinstance(v, list) else v for k, v in run.get("model_options", training_options(name)).items()
    }
    layers = get(name).layers(**options)
    engine = get(name).analyze(**options)
    present, recorded = _layer_names(config), _recorded_shapes(config)
    expected = {layers[0].name: engine.input_shape, **{row.name: row.output_shape for row in engine.layers}}
    for layer, shape in expected.items():
        if layer not in present or recorded.get(layer, shape) != shape:
            raise TrainingError(
                f"{path}: not a model convzoo trained (its layer {layer} is not {name}'s); "
                "explore takes the model.keras that convzoo train writes"
            )
    return ZooModel(path, name, layers, engine)


def _recorded_shapes(config: dict) -> dict[str, tuple]:
    """The output shape (batch left out) of every layer whose output another layer reads, as the config records
    it in the reader's inbound nodes: {"c1": (28, 28, 6), ...}. A model's last layer is read by none."""
    shapes = {}
    for tensor in _tensors([layer.get("inbound_nodes") for layer in _layers(config)]):
        history, shape = tensor.get("keras_history"), tensor.get("shape")
        if isinstance(history, list) and history and isinstance(history[0], str) and isinstance(shape, list):
            shapes[history[0]] = tuple(shape[1:])
    return shapes


def read_run(model_file: Path) -> dict:
    """The run.json beside a model file ({} for a model file on its own)."""
    path = model_file.parent / "run.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}


def _not_keras(path: Path, why: str) -> TrainingError:
    return TrainingError(f"{path}: not a Keras model file ({why}); {ASKED}")


def _name(config) -> str | None:
    """The model's name, if ``config`` is a model's: {"config": {"name": ..., "layers": [...]}}."""
    inner = config.get("config") if isinstance(config, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("name"), str) and isinstance(inner.get("layers"), list):
        return inner["name"]
    return None


def _layers(config: dict) -> list[dict]:
    return [layer for layer in config["config"]["layers"] if isinstance(layer, dict)]


def _layer_names(config: dict) -> set[str]:
    """A functional model records a layer's name beside its config; a sequential one inside it."""
    names = set()
    for layer in _layers(config):
        inner = layer.get("config")
        name = layer.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        if isinstance(name, str):
            names.add(name)
    return names


def _tensors(node) -> Iterator[dict]:
    """Every tensor recorded under ``node`` (a merge's inputs are a list of them, nested in its call's args)."""
    if isinstance(node, dict):
        if node.get("class_name") == "__keras_tensor__":
            if isinstance(node.get("config"), dict):
                yield node["config"]
        else:
            for value in node.values():
                yield from _tensors(value)
    elif isinstance(node, list):
        for value in node:
            yield from _tensors(value)
