"""LeNet-5 as the lecture draws it: CONV-POOL-CONV-POOL-CONV-FC."""

from ..registry import register
from ..spec import SpecError, fmt_dims


@register(
    "lenet5",
    reference="Y. LeCun, L. Bottou, Y. Bengio, P. Haffner. Gradient-based learning applied to document "
    "recognition. Proc. IEEE 86(11), 1998 (the lecture's simplified form)",
    description="LeNet-5, the lecture's CONV-POOL-CONV-POOL-CONV-FC on 32x32 digits",
    published={
        "total_params": 61706,
        "layers": {
            "c1": {"output_shape": [28, 28, 6], "params": 156},
            "s2": {"output_shape": [14, 14, 6], "params": 0},
            "c3": {"output_shape": [10, 10, 16], "params": 2416},
            "s4": {"output_shape": [5, 5, 16], "params": 0},
            "c5": {"output_shape": [1, 1, 120], "params": 48120},
            "f6": {"output_shape": [84], "params": 10164},
        },
    },
)
def lenet5(input=(32, 32, 1), activation="tanh", pool="avg"):
    """LeNet-5: 5x5 convolutions at stride 1, 2x2 subsampling at stride 2, 61,706 parameters.

    ``input=(28, 28, 1)`` pads C1 ('same') as the usual Keras MNIST tutorials do, so every later layer keeps the
    paper's sizes. ``activation`` ('tanh' as in the paper, or 'relu') and ``pool`` ('avg', the paper's
    subsampling, or 'max') give the common modern variants.
    """
    if pool not in ("avg", "max"):
        raise SpecError(f"lenet5: pool must be 'avg' or 'max', got {pool!r}")
    c1_pad = "" if tuple(input[:2]) == (32, 32) else " pad same"
    return (
        f"input {fmt_dims(input)}\n"
        f"c1: conv 6@5x5{c1_pad} {activation}\n"
        f"s2: {pool}pool 2 stride 2\n"
        f"c3: conv 16@5x5 {activation}\n"
        f"s4: {pool}pool 2 stride 2\n"
        f"c5: conv 120@5x5 {activation}\n"
        "flatten: flatten\n"
        f"f6: dense 84 {activation}\n"
        "output: dense 10 softmax\n"
    )


@register(
    "lenet5_1998",
    reference="Y. LeCun, L. Bottou, Y. Bengio, P. Haffner. Gradient-based learning applied to document "
    "recognition. Proc. IEEE 86(11), 1998, section II.B (the network as the paper built it)",
    description="LeNet-5 as the 1998 paper built it: trainable subsampling, C3's partial connection table, RBF output",
    published={
        "trainable_params": 60000,
        "total_connections": 340908,
        "layers": {
            "c1": {"output_shape": [28, 28, 6], "params": 156, "connections": 122304},
            "s2": {"output_shape": [14, 14, 6], "params": 12, "connections": 5880},
            "c3": {"output_shape": [10, 10, 16], "params": 1516, "connections": 151600},
            "s4": {"output_shape": [5, 5, 16], "params": 32, "connections": 2000},
            "c5": {"output_shape": [1, 1, 120], "params": 48120, "connections": 48120},
            "f6": {"output_shape": [84], "params": 10164, "connections": 10164},
            "output": {"output_shape": [10], "connections": 840},
        },
    },
)
def lenet5_1998():
    """LeNet-5 exactly as the paper counts it: 60,000 trainable parameters and 340,908 connections.

    Every unit up to F6 squashes its weighted sum with the scaled tanh 1.7159*tanh(2a/3). S2 and S4 multiply each
    2x2 window's sum by a trained coefficient and add a trained bias (12 and 32 parameters). C3's 16 maps each
    read 3, 4 or all 6 of S2's maps (Table I). The output units are Euclidean RBFs: each gives the distance of
    F6's 84 values to a fixed +-1 code, and the smallest distance is the class.
    """
    return (
        "input 32x32x1\n"
        "c1: conv 6@5x5 scaled_tanh\n"
        "s2: subsample 2 scaled_tanh\n"
        "c3: conv 16@5x5 table lenet scaled_tanh\n"
        "s4: subsample 2 scaled_tanh\n"
        "c5: conv 120@5x5 scaled_tanh\n"
        "flatten: flatten\n"
        "f6: dense 84 scaled_tanh\n"
        "output: rbf 10\n"
    )
