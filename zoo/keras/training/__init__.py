"""Training the zoo on MNIST, one module a job:

- ``data``: the digits made the model's inputs, the batches (MNIST read and checked: ``zoo.keras.mnist``);
- ``models``: the recipe's compile, LeNet-5 1998's RBF loss, a model file read back;
- ``folder``: a run's folder: refused or made, run.json and the resume command, the files of every epoch, Ctrl-C;
- ``loops``: Keras' fit on one machine, and the multi-worker loop;
- ``train``: a run from start to finish (``run``, ``train``);
- ``evaluate``: test metrics and predictions;
- ``plots``: curves.png, confusion.png and ``convzoo visualize``'s pictures.

Pictures made into MNIST digits for ``predict`` are ``zoo.keras.photos``. Imports TensorFlow: only ``convzoo
train``, ``evaluate``, ``predict``, ``visualize`` and ``explore`` load this package. Its names below are what
the commands, the Python API and the explorer use."""

from __future__ import annotations

from ..errors import TrainingError
from ..mnist import Mnist, load_mnist
from .data import fit_inputs
from .evaluate import evaluate_model, predict_digit, predict_digits, top_classes
from .folder import Interrupted, default_run_dir
from .models import compile_with_recipe, load_model
from .plots import visualize
from .train import Run, run

__all__ = [
    "Interrupted",
    "Mnist",
    "Run",
    "TrainingError",
    "compile_with_recipe",
    "default_run_dir",
    "evaluate_model",
    "fit_inputs",
    "load_mnist",
    "load_model",
    "predict_digit",
    "predict_digits",
    "run",
    "top_classes",
    "visualize",
]
