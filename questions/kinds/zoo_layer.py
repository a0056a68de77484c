"""One layer of a famous network: the parameters of VGG-16's first dense layer, the connections of LeNet-5's C3."""

from convzoo.questions.answers import COUNT, Single
from convzoo.questions.core import Draft, Wrong, question_kind
from convzoo.zoo.engine import analyze
from convzoo.zoo.registry import get
from convzoo.zoo.spec import fmt_dims

# (model, layer, what): the layers the lecture's story turns on
ASKED = {
    "easy": (("lenet5", "c1", "params"), ("lenet5", "f6", "params"), ("lenet5_1998", "c1", "connections"),
             ("alexnet", "conv1", "params")),
    "medium": (("vgg16", "fc1", "params"), ("alexnet", "fc6", "params"), ("lenet5_1998", "c3", "params"),
               ("lenet5_1998", "c3", "connections"), ("zfnet", "conv1", "params")),
    "hard": (("vgg16", "block5_conv3", "params"), ("vgg19", "fc1", "params"), ("lenet5_1998", "c5", "connections"),
             ("googlenet", "inception_3a_3x3", "params"), ("resnet50", "conv2_block1_2_conv", "params")),
}


def key(oracle, q):
    row = oracle.rows(q.specs[0])[q.numbers["index"]]
    # connections of a convolution: every output position repeats the layer's weights (as the paper counts them)
    return row.params * row.output_shape[0] * row.output_shape[1] if q.numbers["what"] == "connections" else row.params


def mistakes(answer, numbers):
    wrong = [Wrong(answer - numbers["biases"], "forgot the biases", "each filter or unit has one bias")]
    if numbers["what"] == "connections":
        wrong.append(Wrong(numbers["params"], "gave the parameters, not the connections",
                           "a convolution repeats its weights at every output position: connections = H2*W2*params"))
    else:
        wrong.append(Wrong(answer * numbers["positions"], "forgot parameter sharing",
                           "a filter's weights serve every output position: do not multiply by W2*H2"))
    return wrong


@question_kind("zoo_layer", form=Single(COUNT),
               key=key, misconceptions=mistakes, points=2, tags=("zoo", "parameters", "ilsvrc"))
def generate(rng, lv):
    """The parameters or connections of one layer of a famous network."""
    model, layer_name, what = rng.choice(ASKED[lv.name])
    entry = get(model)
    spec = entry.spec()
    result = analyze(spec, floor=entry.floor)
    index = next(i for i, r in enumerate(result.layers) if r.name == layer_name)
    layer = result.layers[index]
    steps = [s for s in layer.steps if s.startswith(("params", "connections", "D2", "W2", "H2", "output"))]
    noun = "connections (as the LeNet-5 paper counts them: every weight use, biases included)" \
        if what == "connections" else "parameters"
    prompt = (f"In {entry.description.split(':')[0]} ({model}), layer {layer_name} takes a "
              f"{fmt_dims(layer.input_shape)} input and gives {fmt_dims(layer.output_shape)}. How many {noun} "
              "does it have?")
    positions = layer.output_shape[0] * layer.output_shape[1] if len(layer.output_shape) == 3 else 1
    biases = layer.output_shape[-1]
    numbers = {"index": index, "what": what, "params": layer.params, "positions": positions, "biases": biases}
    return Draft(prompt, [spec], steps, numbers=numbers, show_spec=False)
