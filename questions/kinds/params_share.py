"""Where the parameters sit: the share of a network's parameters in its dense layers (AlexNet: 94%)."""

from convzoo.questions.answers import PERCENT, PERCENT_TOLERANCE, Single
from convzoo.questions.core import Draft, Wrong, question_kind
from convzoo.zoo.engine import analyze
from convzoo.zoo.registry import get
from convzoo.zoo.spec import parse

MODELS = {"easy": ("lenet5", "alexnet"), "medium": ("alexnet", "vgg16", "zfnet"), "hard": ("vgg19", "googlenet")}


def key(oracle, q):
    rows = oracle.rows(q.specs[0])
    dense = sum(rows[i].params for i in q.numbers["dense"])
    return round(100 * dense / sum(r.params for r in rows))


def mistakes(answer, numbers):
    return [Wrong(100 - answer, "gave the convolutions' share", "the question asks for the dense layers' share"),
            Wrong(numbers["by_count"], "counted layers, not parameters",
                  "a dense layer of 4096 units holds far more weights than a 3x3 convolution")]


@question_kind("params_share", form=Single(PERCENT, tolerance=PERCENT_TOLERANCE),
               key=key, misconceptions=mistakes, points=2, tags=("zoo", "parameters", "ilsvrc"))
def generate(rng, lv):
    """The share, in percent, of a famous network's parameters that sit in its dense layers."""
    model = rng.choice(MODELS[lv.name])
    entry = get(model)
    spec = entry.spec()
    layers = parse(spec)[1:]
    result = analyze(spec, floor=entry.floor)
    dense = [i for i, layer in enumerate(layers) if layer.kind == "dense"]
    dense_params = sum(result.layers[i].params for i in dense)
    weighted = [i for i, r in enumerate(result.layers) if r.params]
    prompt = (f"{entry.description.split(':')[0]} ({model}) has {result.total_params:,} parameters. What share of "
              "them, in percent rounded to a whole number, sits in its dense (fully connected) layers?")
    solution = [f"{result.layers[i].name}: {result.layers[i].params:,}" for i in dense] + [
        f"dense share = {dense_params:,} / {result.total_params:,} = {100 * dense_params / result.total_params:.1f}% "
        f"-> {round(100 * dense_params / result.total_params)}%"]
    numbers = {"dense": dense, "by_count": round(100 * len(dense) / len(weighted))}
    return Draft(prompt, [spec], solution, numbers=numbers, show_spec=False,
                 hint="add up the dense layers' parameters (N1 + 1)*N, divide by all the parameters, times 100")
