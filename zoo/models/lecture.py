"""The lecture's worked examples as whole networks."""

from ..registry import register


@register(
    "mnist_cnn",
    reference="The Keras MNIST CNN example (keras-team/keras, examples/mnist_cnn.py); the lecture's 32-filter and "
    "64-filter example (10 and 289 parameters per filter)",
    description="the classic Keras MNIST CNN: conv 32 3x3, conv 64 3x3, maxpool, dense 128",
    published={
        "total_params": 1199882,
        "layers": {
            "block1_conv1": {"output_shape": [26, 26, 32], "params": 320},
            "block1_conv2": {"output_shape": [24, 24, 64], "params": 18496},
        },
    },
)
def mnist_cnn():
    """The lecture's example: 32 3x3 filters (3*3*1 + 1 = 10 parameters each), then 64 (3*3*32 + 1 = 289)."""
    return (
        "input 28x28x1\n"
        "block1_conv1: conv 32 3x3 relu\n"
        "block1_conv2: conv 64 3x3 relu\n"
        "block1_pool: maxpool 2\n"
        "block1_dropout: dropout 0.25\n"
        "flatten: flatten\n"
        "fc1: dense 128 relu\n"
        "fc1_dropout: dropout 0.5\n"
        "predictions: dense 10 softmax\n"
    )


@register(
    "conv_stack",
    reference="The lecture: '32x32 input convolved repeatedly with 5x5 filters shrinks volumes spatially "
    "(32 -> 28 -> 24 ...)' (after CS231n, lecture 5)",
    description="the lecture's shrinking stack: 32x32x3 -> 28x28x6 -> 24x24x10 -> 20x20x16",
    published={
        "layers": {
            "block1_conv1": {"output_shape": [28, 28, 6], "params": 456},
            "block2_conv1": {"output_shape": [24, 24, 10], "params": 1510},
        },
    },
)
def conv_stack():
    """Unpadded 5x5 convolutions: every layer takes 4 pixels off each side of the volume."""
    return (
        "input 32x32x3\nblock1_conv1: conv 6 5x5 relu\nblock2_conv1: conv 10 5x5 relu\nblock3_conv1: conv 16 5x5 relu\n"
    )


@register(
    "conv_stack_same",
    reference="The lecture's 'Examples time': 32x32x3, ten 5x5 filters, stride 1, pad 2 -> 32x32x10, "
    "760 parameters; and its common settings F=3/P=1 and F=1/P=0 (after CS231n, lecture 5)",
    description="size-preserving convolutions: 32x32x3 -> 32x32x10 (760 parameters) -> 32x32x16 -> 32x32x32",
    published={
        "layers": {
            "block1_conv1": {"output_shape": [32, 32, 10], "params": 760},
        },
    },
)
def conv_stack_same():
    """Zero padding P = (F - 1)/2 at stride 1 keeps 32x32 through F = 5, 3 and 1."""
    return (
        "input 32x32x3\n"
        "block1_conv1: conv 10 5x5 stride 1 pad 2 relu\n"
        "block2_conv1: conv 16 3x3 stride 1 pad 1 relu\n"
        "block3_conv1: conv 32 1x1 stride 1 pad 0 relu\n"
    )
