"""The training recipe's numbers, apart from TensorFlow so that the command line and the Python API can state
their defaults without loading it. Measured in benchmarks/mnist_time_to_accuracy.py."""

import math
from functools import cache
from typing import TypedDict


class Recipe(TypedDict):
    """The recipe's defaults: epochs, the batch size and the peak learning rate."""

    epochs: int
    batch_size: int
    lr: float


# Adam with a short warm-up, then cosine decay to 1% of the peak learning rate. lenet5 over 5 epochs: a peak of
# 3e-3 in batches of 64 ended at 99.07% test accuracy (2e-3: 99.03%, 5e-3: 98.95%); in batches of 128 no peak
# from 2e-3 to 1e-2 ended above 99.00%. A batch of 64 costs about 8% more per image than one of 128.
RECIPE: Recipe = {"epochs": 5, "batch_size": 64, "lr": 3e-3}
SEED = 1998  # LeNet-5's year: the default run is reproducible
EXTENSION_PEAK = 0.1  # more epochs for a finished run: a new warm-up and cosine cycle, peaking at a tenth of the lr
VALIDATION = 6000  # the last training images, held out
CLASSES = 10  # MNIST's digits


@cache  # train and its one-line refusal ask for it; it tries one input size after another
def training_options(name: str) -> dict:
    """The model options ``train`` builds zoo model ``name`` with: none for a model made for ten digits; for an
    ImageNet model (its ``classes`` option), a 10-class head at the smallest input its architecture accepts,
    no smaller than MNIST's 28x28 (AlexNet 67x67, ZFNet 55x55, VGG 32x32)."""
    from .registry import get
    from .spec import SpecError

    entry = get(name)
    if "classes" not in entry.options or entry.analyze().layers[-1].output_shape == (CLASSES,):
        return {}
    for size in range(28, 1000):
        options = {"input": (size, size, entry.options["input"][2]), "classes": CLASSES}
        try:
            entry.analyze(**options)
        except SpecError:
            continue
        return options
    return {}


def mnist_refusal(name: str) -> str | None:
    """Why zoo model ``name`` cannot learn MNIST, in one line naming the models that can; None when it can: it
    takes an image and ends in one output per digit, or takes a 10-class head (``training_options``). Pure
    Python, so a refusal comes before TensorFlow starts."""
    from .registry import get, list_models

    def reason(model: str) -> str | None:
        result = get(model).analyze(**training_options(model))
        if len(result.input_shape) != 3:
            return f"it takes a flat input {result.input_shape}, not images"
        out = result.layers[-1].output_shape
        if out != (CLASSES,):
            return f"its output is a {'x'.join(map(str, out))} volume, not one value per digit (no classifier head)"
        return None

    why = reason(name)
    if why is None:
        return None
    trainable = ", ".join(m for m in list_models() if reason(m) is None)
    return f"{name} cannot be trained on MNIST: {why}; the models that train: {trainable}"


def memory_needed(result, batch_size: int) -> int:
    """Bytes a training run of an analysed network needs, roughly: weights, their gradients and Adam's two
    moments (4 floats a parameter), and every layer's output for a batch, kept for the backward pass with its
    gradient (and as much again for the framework's own copies)."""
    activations = sum(math.prod(layer.output_shape) for layer in result.layers)
    return 4 * (4 * result.total_params + 4 * batch_size * activations)


def memory_available() -> int | None:
    """The memory this machine has free for a new process (Linux' MemAvailable), or None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
