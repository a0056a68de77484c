"""The training recipe's numbers, apart from TensorFlow so that the command line and the Python API can state
their defaults without loading it. Measured in benchmarks/mnist_time_to_accuracy.py."""

# Adam with a short warm-up, then cosine decay to 1% of the peak learning rate; batch 128
RECIPE = {"epochs": 7, "batch_size": 128, "lr": 5e-3}
SEED = 1998  # LeNet-5's year: the default run is reproducible
VALIDATION = 6000  # the last training images, held out
