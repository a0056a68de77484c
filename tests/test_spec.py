"""The layer-spec language: what the lecture writes down parses to the layers it means, and every mistake is
reported where it was made (line, column) with what would have been accepted."""

import pytest
from convzoo.zoo.spec import SpecError, Where, parse


def only(spec: str):
    """The single layer after the input."""
    layers = parse(spec)
    assert len(layers) == 2
    return layers[1]


# --- what parses -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", " , ", "->", " -> ", ";", "\n", " ;\n"])
def test_every_separator_splits_layers(sep):
    layers = parse(sep.join(["input 7x7", "conv 1 3x3", "relu"]))
    assert [layer.kind for layer in layers] == ["input", "conv", "activation"]


def test_new_lines_give_each_layer_its_line_and_column():
    layers = parse("input 7x7\n  conv 1 3x3 -> relu\n\nflatten")
    assert [layer.where for layer in layers] == [
        Where(1, 1, "input"),
        Where(2, 3, "conv"),
        Where(2, 17, "relu"),
        Where(4, 1, "flatten"),
    ]


def test_keywords_are_case_insensitive():
    layers = parse("INPUT 32X32X3, CONV 10 5X5 STRIDE 1 PAD 2 RELU, MaxPool 2")
    assert layers[0].shape == (32, 32, 3)
    conv = layers[1]
    assert (conv.units, conv.kernel, conv.stride, conv.padding, conv.activation) == (10, (5, 5), (1, 1), (2, 2), "relu")
    assert conv.where == Where(1, 16, "CONV")  # the token as written, for error messages
    assert layers[2].kind == "maxpool"


def test_comments_are_ignored():
    layers = parse(
        "# LeNet's first layer, as in the paper\n"
        "input 32x32  # a grey digit, so depth 1\n"
        "\n"
        "c1: conv 6@5x5 tanh  # six 5x5 filters, conv 7 3x3 here is not read\n"
    )
    assert [layer.name for layer in layers] == ["input", "c1"]
    assert layers[1].units == 6 and layers[1].where == Where(4, 5, "conv")


@pytest.mark.parametrize("conv", ["conv 6 5x5", "conv 6@5x5", "conv2d 6 5x5", "CONV 6@5X5"])
def test_filters_and_filter_size(conv):
    layer = only(f"input 32x32x1, {conv}")
    assert (layer.kind, layer.units, layer.kernel) == ("conv", 6, (5, 5))


def test_named_layer_keeps_its_name():
    layers = parse("input 32x32x1, c1: conv 6@5x5, s2 : avgpool 2")
    assert [layer.name for layer in layers] == ["input", "c1", "s2"]
    assert layers[1].where == Where(1, 20, "conv")


def test_non_square_filter_and_stride_are_height_by_width():
    layer = only("input 7x7, conv 4 3x5 stride 2x1")
    assert (layer.kernel, layer.stride) == ((3, 5), (2, 1))


@pytest.mark.parametrize(
    "option, padding",
    [
        ("", "valid"),
        ("pad 2", (2, 2)),
        ("pad 0", (0, 0)),
        ("pad 1x2", (1, 2)),
        ("pad same", "same"),
        ("pad valid", "valid"),
        ("padding SAME", "same"),
    ],
)
def test_padding(option, padding):
    assert only(f"input 32x32x3, conv 10 5x5 {option}").padding == padding


@pytest.mark.parametrize("option", ["dilation 2", "dilation_rate 2", "dilation 2x2"])
def test_dilation(option):
    layer = only(f"input 7x7, conv 1 3x3 {option}")
    assert (layer.dilation, layer.stride) == ((2, 2), (1, 1))


@pytest.mark.parametrize(
    "spec, activation",
    [
        ("input 32x32x3, conv 10 5x5 pad 2 relu", "relu"),
        ("input 32x32x3, conv 10 5x5 tanh stride 1", "tanh"),
        ("input 32x32x3, conv 10 5x5", None),
        ("input 400, dense 10 softmax", "softmax"),
        ("input 400, fc 84 TANH", "tanh"),
        ("input 400, dense 10", None),
    ],
)
def test_activation_word_on_conv_and_dense(spec, activation):
    assert only(spec).activation == activation


@pytest.mark.parametrize(
    "pool, kernel, stride",
    [
        ("maxpool 2", (2, 2), (2, 2)),  # the lecture: S = F by default, windows do not overlap
        ("maxpool 3 stride 2", (3, 3), (2, 2)),  # overlapping pooling
        ("avgpool 2x3", (2, 3), (2, 3)),
        ("avg_pool 2 strides 1", (2, 2), (1, 1)),
    ],
)
def test_pooling_stride_defaults_to_window(pool, kernel, stride):
    layer = only(f"input 32x32x10, {pool}")
    assert (layer.kernel, layer.stride) == (kernel, stride)


@pytest.mark.parametrize(
    "text, shape",
    [
        ("32x32x3", (32, 32, 3)),
        ("28x28", (28, 28, 1)),  # HxW: a grey image, depth 1
        ("400", (400,)),  # N: already flat
    ],
)
def test_input_shapes(text, shape):
    assert parse(f"input {text}, relu")[0].shape == shape


def test_auto_names_count_per_kind():
    layers = parse(
        "input 28x28x1, conv 32 3x3, relu, conv 64 3x3, relu, maxpool 2, dropout 0.25, flatten, "
        "dense 128 relu, dense 10 softmax"
    )
    assert [layer.name for layer in layers] == [
        "input",
        "conv1",
        "relu1",
        "conv2",
        "relu2",
        "maxpool1",
        "dropout1",
        "flatten1",
        "dense1",
        "dense2",
    ]
    assert layers[6].rate == 0.25


def test_auto_names_skip_given_names():
    layers = parse("input 7x7, conv1: relu, conv 1 3x3, input: tanh")
    assert [layer.name for layer in layers] == ["input1", "conv1", "conv2", "input"]


@pytest.mark.parametrize(
    "word, kind",
    [
        ("fc 10", "dense"),
        ("bn", "batchnorm"),
        ("batchnormalization", "batchnorm"),
        ("conv2d 1 3x3", "conv"),
        ("maxpool2d 2", "maxpool"),
        ("averagepool 2", "avgpool"),
        ("globalaveragepool", "globalavgpool"),
        ("sigmoid", "activation"),
    ],
)
def test_aliases(word, kind):
    assert only(f"input 8x8x3, {word}").kind == kind


# --- what does not ---------------------------------------------------------------------------------------------

ERRORS = [
    # malformed tokens
    ("input 32x32x", 1, 7, "input must be HxWxD, HxW or N"),
    ("input 1x2x3x4", 1, 7, "at most 3 dimensions (HxWxD)"),
    ("input 7x7\nconv ten 3x3", 2, 6, "the number of filters K must be a whole number of 1 or more, got 'ten'"),
    ("input 7x7\nconv 3 3by3", 2, 8, "the filter size F must be N or NxM"),
    ("input 7x7\nconv 3 3x3 pad 1.5", 2, 16, "pad must be N or NxM with whole numbers, got '1.5'"),
    ("input 7x7\nconv 3 3x3 stride \u00b2", 2, 19, "stride must be N or NxM with whole numbers, got '\u00b2'"),
    # unknown layer, with a suggestion and the list of layers
    ("input 7x7\n\nconvv 3 3x3", 3, 1, "unknown layer (did you mean 'conv'?); accepted: input, conv, maxpool"),
    ("input 7x7, pool 2", 1, 12, "(did you mean 'maxpool'?)"),
    # unknown option
    (
        "input 7x7\nconv 3 3x3 strid 2",
        2,
        12,
        "unknown option 'strid' for conv (did you mean 'stride'?); accepted: stride S, pad P|same|valid, dilation D, "
        "table lenet, relu",
    ),
    ("input 7x7\nmaxpool 2 relu", 2, 11, "unknown option 'relu' for maxpool (a new layer? separate layers with"),
    ("input 400\ndense 10 stride 2", 2, 10, "unknown option 'stride' for dense; accepted: relu, tanh"),
    # zero or negative sizes
    ("input 0x7", 1, 7, "every input dimension must be 1 or more, got '0x7'"),
    ("input -7", 1, 7, "input must be HxWxD, HxW or N"),
    ("input 7x7\nconv 0 3x3", 2, 6, "the number of filters K must be 1 or more, got 0"),
    ("input 7x7\nconv -3 3x3", 2, 6, "the number of filters K must be a whole number of 1 or more, got '-3'"),
    ("input 7x7\nconv 3 3x0", 2, 8, "the filter size F must be 1 or more"),
    ("input 7x7\nconv 3 3x3 stride 0", 2, 19, "stride must be 1 or more"),
    ("input 7x7\nconv 3 3x3 dilation 0", 2, 21, "dilation must be 1 or more"),
    ("input 7x7\nconv 3 3x3 pad -1", 2, 16, "pad must be 0 or more, got '-1'"),
    ("input 7x7\nconv 3 3x3 stride -2", 2, 19, "stride must be 1 or more, got '-2'"),
    ("input 7x7\nmaxpool 0", 2, 9, "the pooling window F must be 1 or more"),
    ("input 400\ndense 0", 2, 7, "the number of units N must be 1 or more"),
    # the input: missing, not first, alone
    ("conv 10 5x5", 1, 1, "a spec starts with 'input HxWxD'"),
    ("# LeNet\nc1: conv 6@5x5\ninput 32x32", 2, 5, "a spec starts with 'input HxWxD'"),
    ("input 7x7\nrelu\ninput 7x7", 3, 1, "only the first layer can be 'input'"),
    ("input 7x7  # and nothing else", 1, 1, "the spec has an input but no layers after it"),
    # duplicate names
    ("input 7x7\nc1: conv 3 3x3\n  c1: relu", 3, 3, "layer name 'c1' is used twice; names must be unique"),
    # missing arguments: pointed at the end of the layer
    ("input", 1, 6, "missing the input size (HxWxD, HxW or N)"),
    ("input 7x7\nconv", 2, 5, "missing the number of filters K (as in 'conv 10 5x5')"),
    ("input 7x7\nconv 3   # no filter size", 2, 7, "missing the filter size F (as in 'conv 10 5x5')"),
    ("input 7x7\nconv 3 3x3 stride", 2, 18, "missing a value after 'stride'"),
    ("input 7x7\nmaxpool", 2, 8, "missing the pooling window F (as in 'maxpool 2')"),
    ("input 400\ndense", 2, 6, "missing the number of units N (as in 'dense 10 softmax')"),
    ("input 400\ndropout", 2, 8, "missing the dropout rate R (as in 'dropout 0.5')"),
    ("input 7x7\nc1:", 2, 1, "a layer name must be followed by a layer"),
    # an option twice
    ("input 7x7\nconv 3 3x3 stride 2 strides 1", 2, 21, "stride given twice for conv"),
    ("input 7x7\nconv 3 3x3 relu tanh", 2, 17, "activation given twice for conv"),
    # Keras cannot dilate a strided convolution
    (
        "input 7x7\nconv 3 3x3 stride 2 dilation 2",
        2,
        1,
        "Keras cannot combine a stride above 1 with a dilation above 1",
    ),
    # dropout rate outside [0, 1)
    ("input 400\ndropout 1", 2, 9, "dropout rate must be a number from 0 up to (not including) 1, got '1'"),
    ("input 400\ndropout -0.1", 2, 9, "got '-0.1'"),
    ("input 400\ndropout half", 2, 9, "got 'half'"),
    # extra words after a layer
    ("input 7x7\nrelu 2", 2, 6, "unexpected '2' after relu; accepted: relu"),
]


@pytest.mark.parametrize("spec, line, col, message", ERRORS)
def test_errors_say_where_and_what_is_accepted(spec, line, col, message):
    with pytest.raises(SpecError) as err:
        parse(spec)
    assert (err.value.where.line, err.value.where.col) == (line, col)
    assert message in err.value.message
    assert str(err.value) == f"{err.value.where}: {err.value.message}"


@pytest.mark.parametrize(
    "spec, line, col, word, after",
    [
        ("input 7x7 conv 3 3", 1, 11, "conv", "input"),
        ("input 7x7\nflatten dense 10", 2, 9, "dense", "flatten"),
        ("input 7x7\nconv 3 3x3 relu maxpool 2", 2, 17, "maxpool", "conv"),
    ],
)
def test_layer_glued_onto_the_previous_one(spec, line, col, word, after):
    with pytest.raises(SpecError) as err:
        parse(spec)
    assert (err.value.where.line, err.value.where.col, err.value.where.token) == (line, col, word)
    assert f"'{word}'" in err.value.message and after in err.value.message
    assert "separate layers with ',', '->', ';' or a new line" in err.value.message


@pytest.mark.parametrize("spec", ["", "\n\n", "# only a comment\n   # and another", ",, ;"])
def test_empty_spec(spec):
    with pytest.raises(SpecError, match="empty spec: expected layers such as 'input 32x32x3") as err:
        parse(spec)
    assert err.value.where is None  # nothing to point at


@pytest.mark.parametrize("spec", ["input 7x7, conv \u00b2 3x3", "input 400, dense \u00b2"])
def test_superscript_digits_are_a_spec_error(spec):
    with pytest.raises(SpecError):
        parse(spec)


def test_stride_dilation_message_names_the_offending_stride():
    with pytest.raises(SpecError) as err:
        parse("input 7x7, conv 3 3x3 stride 1x2 dilation 2")
    assert "stride 1x2" in err.value.message
