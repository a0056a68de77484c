"""``convzoo predict``: the top-3 digits a trained model sees in each picture."""

from __future__ import annotations

from collections.abc import Iterator

import click

from ..zoo.errors import ConvzooError
from .common import PartlyRead

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")  # what a folder gives predict


def _pictures(inputs: tuple[str, ...]) -> list[str]:
    """The files named, in order, each folder as its pictures (by suffix, sorted by name; not its subfolders)."""
    from pathlib import Path

    paths = []
    for given in inputs:
        if Path(given).is_dir():
            found = sorted(str(p) for p in Path(given).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
            if not found:
                raise ConvzooError(f"{given}: a folder with no pictures in it ({', '.join(IMAGE_SUFFIXES)})")
            paths += found
        else:
            paths.append(given)
    return paths


@click.command()
@click.option("--model", "model_path", required=True, metavar="PATH")
@click.option("--show", metavar="FILE.png", help="Also write the 28x28 digit the model was given (one IMAGE only).")
@click.argument("images", nargs=-1, required=True, metavar="IMAGE...")
def predict(model_path, show, images):
    """The top-3 digits for each IMAGE (or each picture in a folder): a photo, a scan or a drawing (any size,
    dark on light or light on dark, transparent PNGs too), cleaned of its background and centred and scaled as
    MNIST's digits were. A picture that does not look like a digit is said to be so. Several images: one line
    each; one that cannot be read gets its line on stderr, the others are still predicted, and the exit status
    is 2."""
    import numpy as np

    from ..zoo.keras import photos  # numpy and Pillow: TensorFlow only once the pictures are read

    paths = _pictures(images)
    if show and len(paths) > 1:
        raise ConvzooError(f"--show writes one picture; {len(paths)} images were given")
    # (path, its 28x28 digit, None where no stroke stands out, or why it cannot be read)
    digits: list[tuple[str, np.ndarray | ConvzooError | None]] = []
    for path in paths:  # every picture read before TensorFlow's model is loaded: a wrong one fails fast
        try:
            digits.append((path, photos.digit_from_image(path)))
        except ConvzooError as err:
            if len(paths) == 1:
                raise
            digits.append((path, err))
    readable = [d for _, d in digits if isinstance(d, np.ndarray)]
    answers: Iterator[tuple[list[tuple[int, float]], str]] = iter([])
    if readable:  # TensorFlow and the model only for a picture that holds a digit
        from ..zoo.keras import training

        answers = iter(training.predict_digits(training.load_model(model_path), np.stack(readable)))
    for path, digit in digits:
        if isinstance(digit, ConvzooError):
            click.echo(f"convzoo: error: {digit}", err=True)
            continue
        top: list[tuple[int, float]]
        if digit is None:
            verdict, top = "no digit: no stroke stands out from the paper", []
        else:
            top, verdict = next(answers)
        said = f"warning: {verdict}" if top and verdict else verdict  # a prediction with a doubt, or no digit
        if len(paths) == 1:  # one picture: its top 3, a line each
            for digit_class, probability in top:
                click.echo(f"{digit_class}  {probability:.1%}")
            if said:
                click.echo(said)
        else:
            guesses = ", ".join(f"{c} {p:.1%}" for c, p in top)
            click.echo(f"{path}: " + "; ".join(x for x in (guesses, said) if x))
    if show and isinstance(digits[0][1], np.ndarray):
        from PIL import Image

        try:
            Image.fromarray(digits[0][1]).save(show, format="PNG")
        except (OSError, ValueError) as err:
            raise ConvzooError(f"cannot write --show {show}: {getattr(err, 'strerror', None) or err}") from None
        click.echo(f"wrote {show}")
    if any(isinstance(d, ConvzooError) for _, d in digits):
        raise PartlyRead
