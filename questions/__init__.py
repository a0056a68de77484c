"""Randomized quiz questions on output sizes and parameter counts, rendered through ``templates/``.

Each question kind is one small module here; like the engine it builds on, nothing in this package imports
TensorFlow.
"""
