"""Every number in the lecture's convolution and pooling sections, reproduced by the engine with its working.

The same numbers are checked against Keras in test_keras_agreement.py (the zoo models hold them too)."""

from __future__ import annotations

import re

import pytest
from convzoo.zoo import registry
from convzoo.zoo.engine import analyze
from convzoo.zoo.spec import SpecError


def only_layer(spec: str, floor: bool = False):
    return analyze(spec, floor=floor).layers[-1]


@pytest.mark.parametrize(
    "stride, size, step",
    [
        (1, 5, "W2 = (W1 - F)/S + 1 = (7 - 3)/1 + 1 = 5"),
        (2, 3, "W2 = (W1 - F)/S + 1 = (7 - 3)/2 + 1 = 3"),
    ],
)
def test_7x7_input_with_3x3_filter(stride, size, step):
    layer = only_layer(f"input 7x7, conv 1 3x3 stride {stride}")
    assert layer.output_shape == (size, size, 1)
    assert step in layer.steps


def test_7x7_with_3x3_at_stride_3_does_not_fit():
    with pytest.raises(SpecError) as err:
        analyze("input 7x7, conv 1 3x3 stride 3")
    message = str(err.value)
    assert "(7 - 3)/3 + 1 = 2.33: a 3x3 filter with stride 3 does not fit a 7x7 input" in message
    assert "Keras would floor it to 2 (the last 1 column dropped)" in message
    assert "line 1, col 12" in message


def test_floor_computes_what_keras_does_for_stride_3():
    layer = only_layer("input 7x7, conv 1 3x3 stride 3", floor=True)
    assert layer.output_shape == (2, 2, 1)
    assert "floor((7 - 3)/3) + 1 = 2" in layer.steps[0]


def test_7x7_padded_by_1_stays_7x7():
    layer = only_layer("input 7x7, conv 1 3x3 stride 1 pad 1")
    assert layer.output_shape == (7, 7, 1)
    assert "W2 = (W1 - F + 2P)/S + 1 = (7 - 3 + 2*1)/1 + 1 = 7" in layer.steps


@pytest.mark.parametrize("f, p", [(3, 1), (5, 2), (7, 3), (1, 0)])
def test_zero_padding_f_minus_1_over_2_preserves_the_size(f, p):
    assert only_layer(f"input 32x32x3, conv 8 {f}x{f} stride 1 pad {p}").output_shape == (32, 32, 8)


def test_examples_time_32x32x3_with_ten_5x5_filters_stride_1_pad_2():
    layer = only_layer("input 32x32x3, conv 10 5x5 stride 1 pad 2")
    assert layer.output_shape == (32, 32, 10)
    assert layer.params == 760  # 76 per filter (5*5*3 + 1), times 10
    assert "W2 = (W1 - F + 2P)/S + 1 = (32 - 5 + 2*2)/1 + 1 = 32" in layer.steps
    assert "params = (F*F*D1 + 1)*K = (5*5*3 + 1)*10 = 760" in layer.steps
    assert "D2 = K = 10" in layer.steps


def test_six_5x5_filters_give_a_28x28x6_activation_volume():
    layer = only_layer("input 32x32x3, conv 6 5x5")
    assert layer.output_shape == (28, 28, 6)
    assert layer.receptive_field == (5, 5)  # "5x5 filter -> 5x5 receptive field for each neuron"


def test_the_shrinking_stack_32_28_24():
    result = registry.get("conv_stack").analyze()
    assert [r.output_shape for r in result.layers[:2]] == [(28, 28, 6), (24, 24, 10)]


def test_32_then_64_filters_have_10_and_289_parameters_each():
    result = registry.get("mnist_cnn").analyze()
    first, second = result.layer("block1_conv1"), result.layer("block1_conv2")
    assert first.params == 10 * 32
    assert "params = (F*F*D1 + 1)*K = (3*3*1 + 1)*32 = 320" in first.steps
    assert second.params == 289 * 64
    assert "params = (F*F*D1 + 1)*K = (3*3*32 + 1)*64 = 18,496" in second.steps
    assert result.total_params == 1_199_882


def test_two_3x3_filters_on_the_6x6_image_give_a_4x4x2_feature_map():
    assert only_layer("input 6x6, conv 2 3x3 stride 1").output_shape == (4, 4, 2)


def test_the_lectures_6x6_image_at_stride_2_does_not_fit_by_its_own_formula():
    with pytest.raises(SpecError, match=r"\(6 - 3\)/2 \+ 1 = 2\.5: a 3x3 filter with stride 2 does not fit"):
        analyze("input 6x6, conv 2 3x3 stride 2")
    assert only_layer("input 6x6, conv 2 3x3 stride 2", floor=True).output_shape == (2, 2, 2)


def test_max_pooling_2x2_stride_2_on_a_4x4x2_feature_map():
    layer = only_layer("input 4x4x2, maxpool 2 stride 2")
    assert layer.output_shape == (2, 2, 2)
    assert layer.params == 0
    assert "W2 = (W1 - F)/S + 1 = (4 - 2)/2 + 1 = 2" in layer.steps
    assert "D2 = D1 = 2" in layer.steps


@pytest.mark.parametrize("f, s, w2", [(2, 2, 14), (3, 2, None)])
def test_pooling_common_settings(f, s, w2):
    spec = f"input 28x28x6, maxpool {f} stride {s}"
    if w2 is None:  # (28 - 3)/2 + 1 = 13.5
        with pytest.raises(SpecError, match=r"13\.5"):
            analyze(spec)
    else:
        assert only_layer(spec).output_shape == (w2, w2, 6)
    assert only_layer("input 27x27x6, maxpool 3 stride 2").output_shape == (13, 13, 6)


def test_lenet5_has_61706_parameters_and_the_papers_c1_connections():
    result = registry.get("lenet5").analyze()
    assert result.total_params == 61_706
    assert result.layer("c1").connections == 122_304  # the 1998 paper's count for C1
    assert result.layer("c5").connections == 48_120
    assert result.layer("f6").params == 10_164
    assert [r.output_shape for r in result.layers[:5]] == [
        (28, 28, 6),
        (14, 14, 6),
        (10, 10, 16),
        (5, 5, 16),
        (1, 1, 120),
    ]


def test_lenet5_on_28x28_pads_c1_same_and_keeps_the_sizes():
    result = registry.get("lenet5").analyze(input=(28, 28, 1))
    assert result.layer("c1").output_shape == (28, 28, 6)
    assert result.total_params == 61_706


def test_same_padding_at_stride_2_rounds_up_as_keras():
    layer = only_layer("input 7x7, conv 1 3x3 stride 2 pad same")
    assert layer.output_shape == (4, 4, 1)
    assert (
        "W2 = (W1 - F + 2P)/S + 1 = (7 - 3 + 2*1)/2 + 1 = 4 ('same' padding: P = 1 on each side, the least that "
        "gives W2 = ceil(W1/S))"
    ) in layer.steps  # the lecture's formula, with the padding Keras adds


def test_dilation_widens_the_filter():
    layer = only_layer("input 7x7, conv 1 3x3 dilation 2")
    assert layer.output_shape == (3, 3, 1)
    assert "F' = D*(F - 1) + 1 = 2*(3 - 1) + 1 = 5 (the dilated filter)" in layer.steps


def test_non_square_filters_and_strides_are_worked_per_axis():
    layer = only_layer("input 7x9x3, conv 4 3x5 stride 2x1")
    assert layer.output_shape == (3, 5, 4)
    assert "W2 = (W1 - Fw)/Sw + 1 = (9 - 5)/1 + 1 = 5" in layer.steps
    assert "H2 = (H1 - Fh)/Sh + 1 = (7 - 3)/2 + 1 = 3" in layer.steps
    assert layer.params == (3 * 5 * 3 + 1) * 4


def test_batchnorm_has_2c_trainable_and_2c_non_trainable_parameters():
    layer = only_layer("input 8x8x16, batchnorm")
    assert (layer.trainable_params, layer.non_trainable_params) == (32, 32)


def test_dense_after_flatten():
    result = analyze("input 5x5x16, flatten, dense 120")
    assert result.layers[0].output_shape == (400,)
    assert "params = (N1 + 1)*N = (400 + 1)*120 = 48,120" in result.layers[1].steps


def test_a_filter_larger_than_its_input_is_refused_even_with_floor():
    with pytest.raises(SpecError, match=r"a 5x5 filter does not fit inside the 3x3 input \(W1 = 3 < F = 5\)"):
        analyze("input 3x3, conv 1 5x5", floor=True)


# --- worked solutions in the lecture's terms ------------------------------------------------------------------

SAME = re.compile(
    r"^(\w+): ([WH])2 = \([WH]1 - F\w* \+ 2P\w*\)/S\w* \+ 1 = "
    r"\((\d+) - (\d+) \+ (?:2\*(\d+)|(\d+) \+ (\d+))\)/(\d+) \+ 1 = (\d+) \('same' padding: "
)


def test_same_padding_is_worked_with_the_lectures_formula_and_its_p():
    """'Same' rows of the zoo tables are worked as (W1 - F + 2P)/S + 1 with the P that 'same' means (the lecture
    never teaches ceil(W1/S)), and the numbers give the key's size; LeNet-5's C1 at 28x28 pads (F - 1)/2 = 2."""
    from convzoo.questions.quiz import build_quiz

    worked = 0
    for q in build_quiz(seed=3, count=2, kind_names=["zoo_table"], difficulty="hard", versions=60, syllabus="extended"):
        sizes = {row["output_shape"][0] for row in q.answer}
        for step in q.solution:
            if "'same'" not in step:
                continue
            assert not re.match(r"^\w+: [WH]2 = ceil", step), step
            if "'same' padding: none" in step:
                continue
            found = SAME.match(step)
            assert found, step
            _, _, w1, f, p, before, after, s, w2 = found.groups()
            padding = 2 * int(p) if p else int(before) + int(after)
            assert (int(w1) - int(f) + padding) % int(s) == 0 and (int(w1) - int(f) + padding) // int(s) + 1 == int(w2)
            assert int(w2) in sizes
            worked += 1
    assert worked >= 20
    c1 = registry.get("lenet5").analyze(input=(28, 28, 1)).layer("c1")
    assert "W2 = (W1 - F + 2P)/S + 1 = (28 - 5 + 2*2)/1 + 1 = 28 ('same' padding: P = (F - 1)/2 = 2)" in c1.steps


def test_a_dense_layer_names_its_inputs_n1_and_its_units_n():
    """After flatten, N is the dense layer's units and N1 its inputs, never the flattened length as well."""
    from convzoo.questions.quiz import build_quiz

    result = analyze("input 5x5x16, flatten, dense 120")
    assert result.layers[0].steps[0] == "output = H*W*D = 5*5*16 = 400 values"
    assert result.layers[1].steps[:2] == (
        "output = N = 120 units, each reading all N1 = 400 inputs",
        "params = (N1 + 1)*N = (400 + 1)*120 = 48,120",
    )
    for q in build_quiz(seed=1, count=5, kind_names=["dense_params"], versions=4):
        defined = [re.match(r"^\w+: (?:output = )?(N1?) = ", step) for step in q.solution]
        assert [d.group(1) for d in defined if d] == ["N"], q.solution  # N defined once, as the units
        assert any("N1 = " in step for step in q.solution)


def test_a_share_is_shown_with_the_decimals_that_read_as_its_rounding():
    """VGG-16 at 64x64x3 with 100 classes: 25,583,716 / 40,298,404 = 63.4857%, rounded to 63%; '63.5% -> 63%'
    read as a rounding error."""
    from convzoo.questions.quiz import build_quiz

    q = build_quiz(seed=349, count=1, kind_names=["params_share"], difficulty="easy", syllabus="extended")[0]
    assert q.answer == 63 and 100 * 25_583_716 / 40_298_404 == pytest.approx(63.4857, abs=1e-4)
    assert q.solution[-1] == "dense share = 25,583,716 / 40,298,404 = 63.49% -> 63%"
    for q in build_quiz(seed=5, count=1, kind_names=["params_share"], versions=100, syllabus="extended"):
        shown, rounded = re.search(r"= ([\d.]+)% -> (\d+)%$", q.solution[-1]).groups()
        assert int(float(shown) + 0.5) == int(rounded) == q.answer and not shown.endswith(".5"), q.solution[-1]
