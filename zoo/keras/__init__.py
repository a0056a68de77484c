"""The only part of convzoo that imports TensorFlow, Keras or numpy: the Keras builder (``build``), LeNet-5
1998's layers (``layers``), the quiet start of TensorFlow (``backend``), training on MNIST (``training``) and
pictures made MNIST digits (``photos``).
Nothing outside this package imports it at module level; the commands and functions that need Keras import it
when called. tests/test_layout.py holds that line."""
