"""Convolution and pooling by the numbers: the lecture's worked values exactly, and Keras on random cases."""

from __future__ import annotations

import random

import pytest
from convzoo import cli
from convzoo.zoo.engine import DoesNotFit
from convzoo.zoo.grid import GridError, convolve, parse_matrix, pool

GREY = (
    "0 0 0 0 0 0; 0 105 102 100 97 96; 0 103 99 103 101 102; 0 101 98 104 102 100; 0 99 101 106 104 99; "
    "0 104 104 104 100 98"
)
SHARPEN = "0 -1 0; -1 5 -1; 0 -1 0"
RED = (
    "0 0 0 0 0 0; 0 156 155 156 158 158; 0 153 154 157 159 159; 0 149 151 155 158 159; 0 146 146 149 153 158; "
    "0 145 143 143 148 158"
)
GREEN = (
    "0 0 0 0 0 0; 0 167 166 167 169 169; 0 164 165 168 170 170; 0 160 162 166 169 170; 0 156 156 159 163 168; "
    "0 155 153 153 158 168"
)
BLUE = (
    "0 0 0 0 0 0; 0 163 162 163 165 165; 0 160 161 164 166 166; 0 156 158 162 165 166; 0 155 155 158 162 167; "
    "0 154 152 152 157 167"
)
RGB_KERNEL = "-1 -1 1; 0 1 -1; 0 1 1 | 1 0 0; 1 -1 -1; 1 0 -1 | 0 1 1; 0 1 0; 1 -1 1"
SIX = "1 0 0 0 0 1; 0 1 0 0 1 0; 0 0 1 1 0 0; 1 0 0 0 1 0; 0 1 0 0 1 0; 0 0 1 0 1 0"
FILTER_1 = "1 -1 -1; -1 1 -1; -1 -1 1"
FILTER_2 = "-1 1 -1; -1 1 -1; -1 1 -1"
MAP_1 = [[3, -1, -3, -1], [-3, 1, 0, -3], [-3, -3, 0, 1], [3, -2, -2, -1]]
MAP_2 = [[-1, -1, -1, -1], [-1, -1, -2, 1], [-1, -1, -2, 1], [-1, 0, -4, 3]]


def test_the_sharpen_kernel_gives_320():
    result = convolve(parse_matrix(GREY), parse_matrix(SHARPEN))
    assert result.output[0][0] == 320
    assert result.working(0, 0) == ["0*0 + 0*-1 + 0*0 + 0*-1 + 105*5 + 102*-1 + 0*0 + 103*-1 + 99*0 = 320"]


def test_the_rgb_example_gives_308_minus_498_plus_164_plus_1():
    result = convolve(parse_matrix(f"{RED} | {GREEN} | {BLUE}"), parse_matrix(RGB_KERNEL), bias=1)
    assert result.output[0][0] == -25
    steps = result.working(0, 0)
    assert [s.rsplit(" = ", 1)[1] for s in steps[:3]] == ["308", "-498", "164"]
    assert steps[3] == "308 + -498 + 164 + 1 = -25 (bias 1)"


@pytest.mark.parametrize("kernel, expected", [(FILTER_1, MAP_1), (FILTER_2, MAP_2)])
def test_two_filters_on_the_6x6_image_at_stride_1(kernel, expected):
    assert convolve(parse_matrix(SIX), parse_matrix(kernel)).output == expected


def test_the_6x6_image_at_stride_2_needs_floor_and_then_gives_2x2():
    with pytest.raises(DoesNotFit, match=r"\(6 - 3\)/2 \+ 1 = 2\.5: a 3x3 filter with stride 2 does not fit"):
        convolve(parse_matrix(SIX), parse_matrix(FILTER_1), stride=2)
    assert convolve(parse_matrix(SIX), parse_matrix(FILTER_1), stride=2, floor=True).output == [[3, -3], [-3, 0]]


@pytest.mark.parametrize("feature_map, pooled", [(MAP_1, [[3, 0], [3, 1]]), (MAP_2, [[-1, 1], [0, 3]])])
def test_max_pooling_the_two_feature_maps(feature_map, pooled):
    result = pool([feature_map], size=2, stride=2)
    assert result.output == [pooled]
    assert (
        result.working(0, 0, 0)
        == f"max({', '.join(map(str, [feature_map[i][j] for i in (0, 1) for j in (0, 1)]))}) = {pooled[0][0]}"
    )


def test_average_pooling_and_flip():
    assert pool([MAP_1], size=2, mode="avg").output == [[[0, -1.75], [-1.25, -0.5]]]
    # an asymmetric kernel: true convolution rotates it, cross-correlation (Keras) does not
    image, kernel = parse_matrix("1 2; 3 4"), parse_matrix("1 0; 0 0")
    assert convolve(image, kernel).output == [[1]]
    assert convolve(image, kernel, flip=True).output == [[4]]


@pytest.mark.parametrize(
    "text, message",
    [
        ("1 2; 3", "input: row 2 has 1 value but row 1 has 2"),
        ("1 x; 3 4", "input: 'x' at row 1, column 2 is not a number"),
        ("1 2; 3 4 | 1 2 3", "input: channel 2 is 1x3 but channel 1 is 2x2"),
        ("  ;  ", "input is empty"),
    ],
)
def test_matrix_errors(text, message):
    with pytest.raises(GridError, match=message):
        parse_matrix(text, "input")


def test_matrix_text_forms():
    assert parse_matrix("1, 2\n3, 4") == parse_matrix("1 2; 3 4") == [[[1, 2], [3, 4]]]
    assert parse_matrix("0.5 -1e1") == [[[0.5, -10.0]]]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["convolve", "--input", "1 2; 3", "--kernel", "1"], "row 2 has 1 value"),
        (["convolve", "--input", "1 2|3 4", "--kernel", "1"], "the input has 2 channels but the kernel has 1"),
        (["convolve", "--input", "1 2; 3 4", "--kernel", "1 1 1; 1 1 1; 1 1 1"], "a 3x3 filter does not fit inside"),
        (["convolve", "--input", SIX, "--kernel", FILTER_1, "--stride", "2"], "(6 - 3)/2 + 1 = 2.5"),
        (["convolve", "--input", SIX, "--kernel", FILTER_1, "--cell", "4,0"], "--cell 4,0 is outside the 4x4 output"),
        (["convolve", "--input", "@/no/such.txt", "--kernel", "1"], "cannot read input file '/no/such.txt'"),
        (["pool", "--input", "1 2 3; 4 5 6; 7 8 9", "--size", "2"], "(3 - 2)/2 + 1 = 1.5"),
        (["pool", "--input", "1 2; x 4", "--size", "2"], "'x' at row 2, column 1 is not a number"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, message):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and message in captured.err


def test_convolve_cli_shows_the_working_and_json(capsys, tmp_path):
    assert cli.main(["convolve", "--input", GREY, "--kernel", SHARPEN, "--cell", "0,0"]) == 0
    assert "105*5 + 102*-1" in capsys.readouterr().out
    (tmp_path / "grey.txt").write_text(GREY.replace("; ", "\n"))
    assert cli.main(["convolve", "--input", f"@{tmp_path / 'grey.txt'}", "--kernel", SHARPEN, "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["output"][0][0] == 320


def test_pool_cli_floor_and_npy(capsys, tmp_path):
    import json

    import numpy

    numpy.save(tmp_path / "map.npy", numpy.array(MAP_1))
    assert cli.main(["pool", "--input", f"@{tmp_path / 'map.npy'}", "--size", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == [[3, 0], [3, 1]]
    assert cli.main(["pool", "--input", "1 2 3; 4 5 6; 7 8 9", "--size", "2", "--floor", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == [[5]]


def test_random_convolutions_and_poolings_equal_keras():
    from convzoo.zoo.keras.build import keras_convolve, keras_pool

    rng = random.Random(396)
    for _ in range(60):
        h, w, c = rng.randint(3, 9), rng.randint(3, 9), rng.randint(1, 3)
        f, stride, pad = rng.randint(1, 3), rng.randint(1, 3), rng.randint(0, 2)
        image = [[[rng.randint(-9, 9) for _ in range(w)] for _ in range(h)] for _ in range(c)]
        kernel = [[[rng.randint(-2, 2) for _ in range(f)] for _ in range(f)] for _ in range(c)]
        bias = rng.randint(-3, 3)
        ours = convolve(image, kernel, stride=stride, pad=pad, bias=bias, floor=True).output
        assert ours == keras_convolve(image, kernel, stride=stride, pad=pad, bias=bias)
        size, mode = rng.randint(1, 3), rng.choice(["max", "avg"])
        if size <= min(h, w):
            ours = pool(image, size=size, stride=stride, mode=mode, floor=True).output
            theirs = keras_pool(image, size=size, stride=stride, mode=mode)  # ninths: Keras' float32, 4 places
            assert [[[pytest.approx(v, abs=1e-4) for v in row] for row in m] for m in ours] == theirs
