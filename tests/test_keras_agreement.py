"""Keras' model.summary() is the ground truth: the engine must equal it on every zoo model and on random specs."""

from __future__ import annotations

import math
import os
import random

import pytest
from convzoo import cli
from convzoo.zoo import registry
from convzoo.zoo.engine import analyze
from convzoo.zoo.keras.build import build_keras, compare, fits_in_keras, keras
from convzoo.zoo.spec import SpecError, parse
from randspec import random_spec


def _differences(layers, floor=False):
    result = analyze(layers, floor=floor)
    build = build_keras(layers)
    return compare(result, build), result, build


@pytest.mark.parametrize("name", registry.list_models())
def test_every_zoo_model_equals_keras_and_its_published_numbers(name):
    entry = registry.get(name)
    problems, result, _ = _differences(entry.layers(), floor=entry.floor)
    assert problems == []
    assert entry.published_differences(result) == []


@pytest.mark.parametrize(
    "options",
    [
        {"input": (28, 28, 1)},  # the Keras tutorials' LeNet-5: C1 padded 'same'
        {"activation": "relu", "pool": "max"},
        {"input": (28, 28, 1), "activation": "relu", "pool": "max"},
    ],
)
def test_lenet5_variants_keep_61706_parameters_in_keras(options):
    entry = registry.get("lenet5")
    problems, result, _ = _differences(entry.layers(**options))
    assert problems == []
    assert result.total_params == 61706
    assert entry.published_differences(result) == []


def test_build_gives_a_keras_model_with_the_papers_layer_names():
    model = registry.build("lenet5")
    assert isinstance(model, keras.Model)
    assert [layer.name for layer in model.layers[1:]] == ["c1", "s2", "c3", "s4", "c5", "flatten", "f6", "output"]
    assert model.count_params() == 61706
    assert model.get_layer("c1").output.shape[1:] == (28, 28, 6)


def test_explicit_padding_is_zero_padding_then_valid_as_in_keras():
    model = build_keras(parse("input 32x32x3, c1: conv 10 5x5 stride 1 pad 2")).model
    assert [type(layer).__name__ for layer in model.layers[1:]] == ["ZeroPadding2D", "Conv2D"]
    assert model.get_layer("c1").output.shape[1:] == (32, 32, 10)
    assert model.count_params() == 760


def test_floor_gives_the_map_keras_computes_for_the_lectures_6x6_at_stride_2():
    problems, result, _ = _differences(parse("input 6x6, conv 2 3x3 stride 2"), floor=True)
    assert problems == []
    assert result.layers[0].output_shape == (2, 2, 2)


def test_lenets_subsampling_on_7x7_drops_a_row_and_a_column_in_keras_as_in_the_engine():
    """A 2x2 subsampling window at stride 2 does not fit a 7x7 map: Keras' shapes say so too (it floors)."""
    from convzoo.zoo.keras.build import keras_rows

    layers = parse("input 7x7, subsample 2")
    assert [r.fits for r in analyze(layers, floor=True).layers] == [False]
    assert [r.fits for r in keras_rows(layers)] == [False]
    assert not fits_in_keras(build_keras(layers), layers[1])


def test_a_difference_is_reported(monkeypatch):
    layers = parse("input 7x7, conv 1 3x3")
    build = build_keras(layers)
    wrong = analyze(parse("input 7x7, conv 1 3x3 pad 1"))
    assert compare(wrong, build) == [
        "conv1: output shape: engine 7x7x1, Keras 5x5x1",
    ]


def test_calc_keras_prints_keras_summary_and_agrees(capsys):
    assert cli.main(["calc", "--keras", "--no-steps", "input 32x32x3, conv 10 5x5 stride 1 pad 2"]) == 0
    out = capsys.readouterr().out
    assert "ZeroPadding2D" in out  # Keras' own table
    assert "Keras agrees with the engine on every layer (1 layer, 760 parameters)." in out


def test_calc_keras_json_carries_the_verdict(capsys):
    import json

    assert cli.main(["calc", "--keras", "--json", "input 7x7, conv 1 3x3"]) == 0
    assert json.loads(capsys.readouterr().out)["keras"] == {"agrees": True, "differences": []}


def test_zoo_verify_passes_for_every_model(capsys):
    assert cli.main(["zoo", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"{len(registry.list_models())} of {len(registry.list_models())} models agree" in out


def test_zoo_verify_fails_on_a_wrong_published_number(capsys, monkeypatch):
    entry = registry.get("conv_stack_same")
    wrong = registry.ModelEntry(**{**entry.__dict__, "published": {"total_params": 2761}})
    monkeypatch.setitem(registry._REGISTRY, "conv_stack_same", wrong)
    assert cli.main(["zoo", "verify", "conv_stack_same"]) == 1
    assert "total params 2,760, published 2,761" in capsys.readouterr().out


def _sweep(seed: int, valid_needed: int) -> None:
    rng = random.Random(seed)
    valid = floored = 0
    failures = []
    while valid < valid_needed:
        text = random_spec(rng)
        layers = parse(text)
        try:
            problems, result, build = _differences(layers, floor=True)
        except SpecError:
            continue  # a window larger than its input: Keras cannot build it either
        try:
            analyze(layers)
            fits = True
        except SpecError:
            fits = False
        keras_fits = all(fits_in_keras(build, layer) for layer in layers[1:])
        if fits != keras_fits or [r.fits for r in result.layers] != [fits_in_keras(build, x) for x in layers[1:]]:
            problems.append(f"engine says fits={fits}, Keras' shapes say otherwise")
        if problems:
            failures.append(f"{text!r}: {problems}")
        valid += fits
        floored += not fits
        if (valid + floored) % 200 == 0:
            keras.backend.clear_session()  # keep layer-name counters and graph memory small
    assert not failures, f"{len(failures)} specs differ from Keras, e.g.:\n" + "\n".join(failures[:10])


def test_engine_equals_keras_on_300_random_valid_specs():
    _sweep(seed=20221, valid_needed=300)  # make sweep runs 20,000 more


@pytest.mark.sweep
def test_engine_equals_keras_on_the_large_sweep():
    """make sweep: 20,000 valid specs (CONVZOO_SWEEP_SEED picks another set)."""
    _sweep(seed=int(os.environ.get("CONVZOO_SWEEP_SEED", "1998")), valid_needed=20000)


@pytest.mark.parametrize("name, application", [("vgg16", "VGG16"), ("vgg19", "VGG19"), ("resnet50", "ResNet50")])
def test_ilsvrc_models_equal_keras_applications_layer_for_layer(name, application):
    """Every layer of keras.applications' model (weights=None), by name: the same output shape and parameters."""
    entry = registry.get(name)
    ours = {r.name: r for r in entry.analyze().layers}
    theirs = getattr(keras.applications, application)(weights=None)
    keras_layers = [layer for layer in theirs.layers if not isinstance(layer, keras.layers.InputLayer)]
    assert sorted(ours) == sorted(layer.name for layer in keras_layers)
    for layer in keras_layers:
        assert ours[layer.name].output_shape == tuple(layer.output.shape[1:]), layer.name
        assert ours[layer.name].params == layer.count_params(), layer.name
    assert entry.analyze().total_params == theirs.count_params() == entry.published["total_params"]
    keras.backend.clear_session()


def test_resnet50_stem_is_floored_as_keras_does_and_says_so():
    result = registry.get("resnet50").analyze()
    conv1 = result.layer("conv1_conv")
    assert conv1.output_shape == (112, 112, 64) and not conv1.fits
    assert any("floored as Keras does" in step for step in conv1.steps)


def test_graph_notation_from_add_concat():
    layers = parse(
        "input 8x8x3, a: conv 4 3x3 pad 1, b: conv 4 1x1 from input, s: add a b, "
        "c: conv 2 1x1 from a, cat: concat s c a"
    )
    problems, result, _ = _differences(layers)
    assert problems == []
    assert result.layer("cat").output_shape == (8, 8, 10)


def test_lenet5_1998_matches_the_papers_table_in_the_engine_and_in_keras():
    """LeCun et al. (1998), section II.B: parameters and connections of every layer, 60,000 trainable in all."""
    result = registry.get("lenet5_1998").analyze()
    table = {r.name: (r.trainable_params, r.connections) for r in result.layers}
    assert table == {
        "c1": (156, 122_304),
        "s2": (12, 5_880),
        "c3": (1_516, 151_600),
        "s4": (32, 2_000),
        "c5": (48_120, 48_120),
        "flatten": (0, 0),
        "f6": (10_164, 10_164),
        "output": (0, 840),
    }
    assert result.trainable_params == 60_000 and result.total_connections == 340_908
    assert result.to_dict()["total_connections"] == 340_908
    model = registry.build("lenet5_1998")
    assert sum(math.prod(w.shape) for w in model.trainable_weights) == 60_000
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Conv2D",
        "Subsampling",
        "PartialConv2D",
        "Subsampling",
        "Conv2D",
        "Flatten",
        "Dense",
        "RBFOutput",
    ]


def test_lenet5_1998_computes_saves_and_loads(tmp_path):
    import numpy

    model = registry.build("lenet5_1998")
    digits = numpy.random.default_rng(0).random((2, 32, 32, 1), dtype="float32")
    distances = model(digits).numpy()
    assert distances.shape == (2, 10) and (distances >= 0).all()  # squared distances to the 10 codes
    model.save(tmp_path / "lenet.keras")
    again = keras.models.load_model(tmp_path / "lenet.keras")
    assert numpy.allclose(again(digits).numpy(), distances)


def test_scaled_tanh_is_one_at_one():
    from convzoo.zoo.keras.layers import scaled_tanh

    assert float(scaled_tanh(keras.ops.convert_to_tensor(1.0))) == pytest.approx(1.0, abs=1e-3)


def _model_rows(build, layers):
    """The rows a whole Keras model gives: each layer's output shape and weights, and whether its window fits."""
    return [
        (
            tuple(build.parts[x.name][-1].output.shape[1:]),
            sum(k.count_params() for k in build.parts[x.name]),
            fits_in_keras(build, x),
        )
        for x in layers[1:]
    ]


def test_the_verify_oracle_reads_what_a_whole_keras_model_gives():
    """--verify measures each layer on its own, weights declared but never allocated: on every zoo model and on
    100 random specs (misfits included) it must read the same shapes, counts and fits as a built model."""
    from convzoo.zoo.keras.build import keras_rows

    zoo = [registry.get(name).layers() for name in registry.list_models()]
    cases = list(zoo)
    rng = random.Random(11)
    while len(cases) < len(zoo) + 100:
        layers = parse(random_spec(rng))
        try:
            analyze(layers, floor=True)
        except SpecError:
            continue
        cases.append(layers)
    for n, layers in enumerate(cases):
        assert [tuple(r) for r in keras_rows(layers)] == _model_rows(build_keras(layers), layers), layers[0]
        # a zoo model's weights (VGG's: half a gigabyte) freed at once; a random spec's are small, and a full
        # garbage collection after each would take twice as long as all their builds
        keras.backend.clear_session(free_memory=n < len(zoo))
