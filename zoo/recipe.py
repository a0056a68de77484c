"""The training recipe's numbers, apart from TensorFlow so that the command line and the Python API can state
their defaults without loading it. Measured in benchmarks/mnist_time_to_accuracy.py."""

# Adam with a short warm-up, then cosine decay to 1% of the peak learning rate; batch 128
RECIPE = {"epochs": 7, "batch_size": 128, "lr": 5e-3}
SEED = 1998  # LeNet-5's year: the default run is reproducible
EXTENSION_PEAK = 0.1  # more epochs for a finished run: a new warm-up and cosine cycle, peaking at a tenth of the lr
VALIDATION = 6000  # the last training images, held out
CLASSES = 10  # MNIST's digits


def mnist_refusal(name: str) -> str | None:
    """Why zoo model ``name`` cannot learn MNIST as it is built, in one line naming the models that can; None
    when it can: it takes an image and ends in one output per digit. Pure Python, so a refusal comes before
    TensorFlow starts."""
    from convzoo.zoo.registry import get, list_models

    def reason(model: str) -> str | None:
        result = get(model).analyze()
        if len(result.input_shape) != 3:
            return f"it takes a flat input {result.input_shape}, not images"
        out = result.layers[-1].output_shape
        if out != (CLASSES,):
            what = f"{out[0]:,} classes (ImageNet's)" if len(out) == 1 else f"a {'x'.join(map(str, out))} volume"
            return f"its output is {what}, not one per digit"
        return None

    why = reason(name)
    if why is None:
        return None
    trainable = ", ".join(m for m in list_models() if reason(m) is None)
    return f"{name} cannot be trained on MNIST: {why}; the models that train: {trainable}"
