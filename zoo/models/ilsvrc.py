"""The ILSVRC winners the lecture shows, with their papers, years and top-5 errors (the lecture's chart, after
CS231n). VGG and ResNet-50 follow keras.applications layer for layer, names included.

Branches and residual connections are written in the spec language's graph notation: ``from NAME`` reads an
earlier layer, ``add A B`` sums outputs, ``concat A B ...`` stacks them in depth. The longer networks are built
by the functions below, which write that spec in loops as keras.applications builds its models.
"""

from ..registry import register

# AlexNet and ZFNet share everything after conv2: three 3x3 convolutions, pooling, three dense layers
ALEXNET_TOP = (
    "conv3: conv 384 3x3 pad 1 relu\n"
    "conv4: conv 384 3x3 pad 1 relu\n"
    "conv5: conv 256 3x3 pad 1 relu\n"
    "pool5: maxpool 3 stride 2\n"
    "flatten: flatten\n"
    "fc6: dense 4096 relu\n"
    "drop6: dropout 0.5\n"
    "fc7: dense 4096 relu\n"
    "drop7: dropout 0.5\n"
    "fc8: dense {classes} softmax\n"
)


def _dims(shape) -> str:
    return "x".join(map(str, shape))


def _ilsvrc(year: int, top5_error: float, place: str = "winner") -> dict:
    return {"year": year, "top5_error": top5_error, "place": place}


@register(
    "alexnet",
    reference="A. Krizhevsky, I. Sutskever, G. Hinton. ImageNet Classification with Deep Convolutional Neural "
    "Networks. NeurIPS 2012 (one tower: the two GPUs' halves joined, so no grouped convolutions)",
    description="AlexNet, ILSVRC 2012: five convolutions and three dense layers on 227x227x3",
    published={"total_params": 62378344, "ilsvrc": _ilsvrc(2012, 16.4)},
)
def alexnet(input=(227, 227, 3), classes=1000):
    """AlexNet as one tower: 62,378,344 parameters, 58.6 million of them in the three dense layers."""
    return (
        f"input {_dims(input)}\n"
        "conv1: conv 96 11x11 stride 4 relu\n"
        "pool1: maxpool 3 stride 2\n"
        "conv2: conv 256 5x5 pad 2 relu\n"
        "pool2: maxpool 3 stride 2\n" + ALEXNET_TOP.format(classes=classes)
    )


@register(
    "zfnet",
    reference="M. Zeiler, R. Fergus. Visualizing and Understanding Convolutional Networks. ECCV 2014 (ILSVRC "
    "2013's Clarifai entry); the 224 crop with the one-pixel border that gives conv1 its 110x110",
    description="ZFNet, ILSVRC 2013: AlexNet with 7x7/2 first filters and 'same' pooling",
    published={"ilsvrc": _ilsvrc(2013, 11.7)},
)
def zfnet(input=(225, 225, 3), classes=1000):
    """ZFNet: smaller first filters at a smaller stride than AlexNet, which keeps more detail in conv1."""
    return (
        f"input {_dims(input)}\n"
        "conv1: conv 96 7x7 stride 2 relu\n"
        "pool1: maxpool 3 stride 2 pad same\n"
        "conv2: conv 256 5x5 stride 2 relu\n"
        "pool2: maxpool 3 stride 2 pad same\n" + ALEXNET_TOP.format(classes=classes)
    )


def _vgg(convs_per_block: tuple[int, ...], input, classes: int) -> str:
    lines = [f"input {_dims(input)}"]
    for block, (convs, filters) in enumerate(zip(convs_per_block, (64, 128, 256, 512, 512)), start=1):
        lines += [f"block{block}_conv{i}: conv {filters} 3x3 pad same relu" for i in range(1, convs + 1)]
        lines.append(f"block{block}_pool: maxpool 2 stride 2")
    lines += [
        "flatten: flatten",
        "fc1: dense 4096 relu",
        "fc2: dense 4096 relu",
        f"predictions: dense {classes} softmax",
    ]
    return "\n".join(lines) + "\n"


VGG_REFERENCE = (
    "K. Simonyan, A. Zisserman. Very Deep Convolutional Networks for Large-Scale Image Recognition. "
    "ICLR 2015; as keras.applications builds it"
)


@register(
    "vgg16",
    reference=VGG_REFERENCE,
    description="VGG-16, ILSVRC 2014 runner-up: 13 3x3 convolutions, 3 dense",
    published={"total_params": 138357544, "ilsvrc": _ilsvrc(2014, 7.3, "runner-up")},
)
def vgg16(input=(224, 224, 3), classes=1000):
    """VGG-16 (configuration D): only 3x3 convolutions, 'same' padding, 2x2 pooling."""
    return _vgg((2, 2, 3, 3, 3), input, classes)


@register(
    "vgg19",
    reference=VGG_REFERENCE,
    description="VGG-19, ILSVRC 2014 runner-up: 16 3x3 convolutions, 3 dense",
    published={"total_params": 143667240, "ilsvrc": _ilsvrc(2014, 7.3, "runner-up")},
)
def vgg19(input=(224, 224, 3), classes=1000):
    """VGG-19 (configuration E)."""
    return _vgg((2, 2, 4, 4, 4), input, classes)


def _inception(name: str, source: str, c1: int, c3r: int, c3: int, c5r: int, c5: int, proj: int) -> list[str]:
    """One inception module: four branches from ``source``, stacked in depth."""
    return [
        f"{name}_1x1: conv {c1} 1x1 relu from {source}",
        f"{name}_3x3_reduce: conv {c3r} 1x1 relu from {source}",
        f"{name}_3x3: conv {c3} 3x3 pad same relu",
        f"{name}_5x5_reduce: conv {c5r} 1x1 relu from {source}",
        f"{name}_5x5: conv {c5} 5x5 pad same relu",
        f"{name}_pool: maxpool 3 stride 1 pad same from {source}",
        f"{name}_pool_proj: conv {proj} 1x1 relu",
        f"{name}_output: concat {name}_1x1 {name}_3x3 {name}_5x5 {name}_pool_proj",
    ]


@register(
    "googlenet",
    reference="C. Szegedy et al. Going Deeper with Convolutions. CVPR 2015 (Inception v1, Table 1; without the "
    "local response normalisation and the two auxiliary classifiers, which are used only in training)",
    description="GoogLeNet (Inception v1), ILSVRC 2014 winner: nine inception modules, no big dense layers",
    published={"ilsvrc": _ilsvrc(2014, 6.7)},
)
def googlenet(input=(224, 224, 3), classes=1000):
    """GoogLeNet: 1x1 convolutions reduce the depth before the 3x3 and 5x5 ones; about 7 million parameters."""
    lines = [
        f"input {_dims(input)}",
        "conv1_7x7: conv 64 7x7 stride 2 pad same relu",
        "pool1: maxpool 3 stride 2 pad same",
        "conv2_3x3_reduce: conv 64 1x1 relu",
        "conv2_3x3: conv 192 3x3 pad same relu",
        "pool2: maxpool 3 stride 2 pad same",
    ]
    modules: list[str | tuple[str, int, int, int, int, int, int]] = [
        ("inception_3a", 64, 96, 128, 16, 32, 32),
        ("inception_3b", 128, 128, 192, 32, 96, 64),
        "pool3",
        ("inception_4a", 192, 96, 208, 16, 48, 64),
        ("inception_4b", 160, 112, 224, 24, 64, 64),
        ("inception_4c", 128, 128, 256, 24, 64, 64),
        ("inception_4d", 112, 144, 288, 32, 64, 64),
        ("inception_4e", 256, 160, 320, 32, 128, 128),
        "pool4",
        ("inception_5a", 256, 160, 320, 32, 128, 128),
        ("inception_5b", 384, 192, 384, 48, 128, 128),
    ]
    source = "pool2"
    for module in modules:
        if isinstance(module, str):
            lines.append(f"{module}: maxpool 3 stride 2 pad same")
            source = module
        else:
            name, *channels = module
            lines += _inception(name, source, *channels)
            source = f"{name}_output"
    final = -(-input[0] // 32)  # five 'same' strides of 2: 7x7 at 224
    lines += [
        f"avgpool: avgpool {final} stride 1",
        "flatten: flatten",
        "dropout: dropout 0.4",
        f"loss3_classifier: dense {classes} softmax",
    ]
    return "\n".join(lines) + "\n"


def _bottleneck(name: str, source: str, filters: int, stride: int, shortcut_conv: bool) -> list[str]:
    """keras.applications' ResNet block1: 1x1, 3x3, 1x1 convolutions, each with batch normalisation, added to
    the block's input (through a 1x1 convolution where the shape changes)."""
    lines = [
        f"{name}_1_conv: conv {filters} 1x1 stride {stride} from {source}",
        f"{name}_1_bn: batchnorm",
        f"{name}_1_relu: relu",
        f"{name}_2_conv: conv {filters} 3x3 pad same",
        f"{name}_2_bn: batchnorm",
        f"{name}_2_relu: relu",
        f"{name}_3_conv: conv {4 * filters} 1x1",
        f"{name}_3_bn: batchnorm",
    ]
    if shortcut_conv:
        lines += [
            f"{name}_0_conv: conv {4 * filters} 1x1 stride {stride} from {source}",
            f"{name}_0_bn: batchnorm",
            f"{name}_add: add {name}_0_bn {name}_3_bn",
        ]
    else:
        lines.append(f"{name}_add: add {source} {name}_3_bn")
    return lines + [f"{name}_out: relu"]


@register(
    "resnet50",
    reference="K. He, X. Zhang, S. Ren, J. Sun. Deep Residual Learning for Image Recognition. CVPR 2016; as "
    "keras.applications builds it",
    description="ResNet-50, ILSVRC 2015 winner: 16 bottleneck blocks with residual connections",
    published={"total_params": 25636712, "ilsvrc": _ilsvrc(2015, 3.57)},
    floor=True,  # the stem: (230 - 7)/2 + 1 = 112.5 and (114 - 3)/2 + 1 = 56.5, floored by Keras
)
def resnet50(input=(224, 224, 3), classes=1000):
    """ResNet-50: the residual connections let 50 layers train; 25.6 million parameters."""
    lines = [
        f"input {_dims(input)}",
        "conv1_pad: zeropad 3",
        "conv1_conv: conv 64 7x7 stride 2",
        "conv1_bn: batchnorm",
        "conv1_relu: relu",
        "pool1_pad: zeropad 1",
        "pool1_pool: maxpool 3 stride 2",
    ]
    source = "pool1_pool"
    for stage, (blocks, filters, stride) in enumerate(((3, 64, 1), (4, 128, 2), (6, 256, 2), (3, 512, 2)), start=2):
        for block in range(1, blocks + 1):
            name = f"conv{stage}_block{block}"
            lines += _bottleneck(name, source, filters, stride if block == 1 else 1, shortcut_conv=block == 1)
            source = f"{name}_out"
    lines += ["avg_pool: globalavgpool", f"predictions: dense {classes} softmax"]
    return "\n".join(lines) + "\n"
