"""A picture of a digit (a photo, a scan, a drawing) made into a 28x28 digit as MNIST made its digits, for
``convzoo predict``, ``visualize --image`` and the explorer's canvas; and whether it looks like one of MNIST's.
numpy and Pillow only: no TensorFlow."""

from __future__ import annotations

import numpy as np

from .errors import TrainingError

# The largest picture predict decodes in full: a 200-megapixel phone photo (16,320 x 12,240) fits. A JPEG of any
# size is decoded at an eighth of its size or less (its own DCT scaling), so only other formats meet this limit.
MAX_PIXELS = 250_000_000
WORKING_SIZE = 2048  # a decoded picture's longer side is reduced to this at most before anything else


def digit_from_image(path: str) -> np.ndarray | None:
    """Any picture of one digit (a scan, a phone photo, a drawing on a transparent PNG) as a 28x28 uint8 MNIST
    digit, light on dark, made the way MNIST was: see ``digit_from_grey``; None if the picture holds no ink."""
    return digit_from_grey(grey_picture(path))


def grey_picture(path: str, largest: int = WORKING_SIZE) -> np.ndarray:
    """The picture at ``path`` in grey (float32, 0-255, transparent parts white as paper), its longer side
    reduced to ``largest`` (WORKING_SIZE) at most while it is read: a photo larger than a phone's is scaled down, not
    refused; a picture too large to decode in memory is refused in one line."""
    from PIL import Image, UnidentifiedImageError

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # PIL's own check raises, with a traceback
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            if picture.format == "JPEG":  # decoded straight at a fraction of its size: cheap at any size
                scale = max(1, max(width, height) // largest)
                picture.draft(picture.mode, (width // scale, height // scale))
            elif width * height > MAX_PIXELS:
                raise TrainingError(
                    f"{path}: {width}x{height} pixels ({width * height / 1e6:,.0f} megapixels) is "
                    f"more than predict decodes ({MAX_PIXELS / 1e6:,.0f}; a 200-megapixel phone "
                    "photo fits): scale it down, or save it as JPEG"
                )
            picture.load()
            if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
                picture = _reduced(picture.convert("RGBA"), largest)
                white = Image.new("RGBA", picture.size, (255, 255, 255, 255))  # transparent is paper, not ink
                picture = Image.alpha_composite(white, picture)
            else:
                picture = _reduced(picture.convert("L"), largest)
            return np.asarray(picture.convert("L"), dtype="float32")
    except TrainingError:
        raise
    except FileNotFoundError:
        raise TrainingError(f"{path}: no such image") from None
    except IsADirectoryError:
        raise TrainingError(f"{path}: a folder, not an image") from None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise TrainingError(f"{path}: not an image convzoo can read ({err.__class__.__name__})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _reduced(picture, largest: int = WORKING_SIZE):
    """A decoded picture with its longer side at most ``largest`` (by whole-pixel averaging, as a box filter)."""
    factor = -(-max(picture.size) // largest)
    return picture.reduce(factor) if factor > 1 else picture


def digit_from_grey(grey: np.ndarray) -> np.ndarray | None:
    """A grey picture of one digit as MNIST made its digits (None if it holds no ink):
    1. the uneven light of a photo is estimated by a wide blur and taken away;
    2. ink is told from paper by Otsu's threshold, and is the smaller side (dark on light or light on dark);
    3. the digit is the largest connected piece of ink, with the pieces near it of at least a fifth its size
       (the bar of a 5, the dot of a stroke that breaks), not specks or the edge of the paper;
    4. its box is scaled to 20 pixels and placed by its centre of mass in 28x28."""
    from PIL import Image, ImageFilter

    scale = 160 / max(grey.shape)  # work at about MNIST's scale times six: fast, and the strokes survive
    if scale < 1:
        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = np.asarray(Image.fromarray(grey.astype("uint8")).resize(size, Image.Resampling.LANCZOS), dtype="float32")
    background = np.asarray(
        Image.fromarray(grey.astype("uint8")).filter(ImageFilter.GaussianBlur(radius=max(grey.shape) / 6)),
        dtype="float32",
    )
    flat = grey - background  # ink stands out from its surroundings, whichever way the light falls
    if flat.max() - flat.min() < 8:
        return None
    threshold = _otsu(flat)
    dark, light = flat < threshold, flat >= threshold
    ink_mask = dark if dark.sum() < light.sum() else light
    # how much darker (or lighter) than its surroundings: soft, so the strokes keep their anti-aliased edges
    strength = np.clip(-flat if ink_mask is dark else flat, 0, None)
    pieces = _components(ink_mask)
    if not pieces:
        return None
    sizes = sorted((((strength * ink_mask)[piece].sum(), piece) for piece in pieces), key=lambda p: -p[0])
    keep = np.zeros_like(ink_mask)
    for weight, piece in sizes:
        if weight >= sizes[0][0] / 5:
            keep[piece] = True
    near = near_ink(keep)
    paper = flat[~near]
    spread = 1.4826 * np.median(np.abs(paper - np.median(paper))) if paper.size else 0.0  # the paper's own noise
    if np.median(strength[keep]) < STROKE_CONTRAST * spread:
        return None  # no stroke stands out: blank paper, or noise, where Otsu's split finds "ink" anywhere
    return mnist_frame(np.where(near, strength, 0), keep)


# A stroke stands out from its paper by this many times the paper's spread (its median absolute deviation, as a
# standard deviation). benchmarks/not_a_digit.py: MNIST's digits and photo-like ones are at 6 or more, noise and
# blank paper at 1.4 or less.
STROKE_CONTRAST = 3.0
# MNIST's digits as framed (28x28): the ranges that hold 99.9% of its 60,000 training digits or more. A picture
# outside one is said not to look like a digit (benchmarks/not_a_digit.py measures how often, on MNIST's test
# digits and on noise, blank paper and text).
MIN_ASPECT = 0.6  # height / width of the box around the ink: a word is wide
MAX_COVER = 0.77  # of the box, the part inked (above half intensity): a blob or a patch of texture is solid
MAX_PIECES = 3  # separate pieces of ink: letters, specks


def unlike_mnist(digit: np.ndarray) -> str:
    """Why a framed 28x28 digit does not look like one of MNIST's (its box, its ink, its pieces), or ""."""
    rows, cols = np.nonzero(digit)
    height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
    ink = digit > 127
    pieces = len(_components(ink))
    if height / width < MIN_ASPECT:
        return (
            f"this does not look like a digit: it is {width / height:.1f} times as wide as it is tall (MNIST's "
            f"digits: {1 / MIN_ASPECT:.1f} at most)"
        )
    if ink.sum() / (height * width) > MAX_COVER:
        return (
            f"this does not look like a digit: ink covers {ink.sum() / (height * width):.0%} of its box "
            f"(MNIST's digits: {MAX_COVER:.0%} at most)"
        )
    if pieces > MAX_PIECES:
        return f"this does not look like a digit: its ink is in {pieces} pieces (MNIST's digits: {MAX_PIECES} at most)"
    return ""


def digit_from_drawing(ink: np.ndarray) -> np.ndarray | None:
    """A drawing of one digit (``ink``: 0 for the blank canvas up to 255, any size) as MNIST made its digits
    (None if nothing is drawn). Unlike a photo, a canvas has no uneven light, specks or paper edge, so every
    stroke is kept: the bar of a 7 or a 5 drawn apart from the rest belongs to the digit."""
    ink = np.asarray(ink, dtype="float32")
    drawn = ink > 0
    if not drawn.any():
        return None
    return mnist_frame(ink, drawn)


def near_ink(keep: np.ndarray) -> np.ndarray:
    """The pixels within 2 of ``keep``'s: a stroke's soft edge, kept with it when the digit is framed."""
    from PIL import Image, ImageFilter

    return np.asarray(Image.fromarray(keep.astype("uint8") * 255).filter(ImageFilter.MaxFilter(5))) > 0


def mnist_frame(ink: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """MNIST's framing of a digit: the box around ``keep`` scaled so its longer side is 20 pixels, and placed
    by its centre of mass in 28x28; uint8, light on dark."""
    from PIL import Image

    rows, cols = np.nonzero(keep)
    crop = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    box = Image.fromarray((crop / crop.max() * 255).astype("uint8"))
    factor = 20 / max(box.size)
    box = box.resize(
        (max(1, round(box.size[0] * factor)), max(1, round(box.size[1] * factor))), Image.Resampling.LANCZOS
    )
    pixels = np.asarray(box, dtype="float32")
    h, w = pixels.shape
    r, c = np.indices(pixels.shape)
    mass = pixels.sum() or 1.0
    cy, cx = (r * pixels).sum() / mass, (c * pixels).sum() / mass
    top, left = min(max(int(round(14 - cy)), 0), 28 - h), min(max(int(round(14 - cx)), 0), 28 - w)
    digit = np.zeros((28, 28), dtype="float32")
    digit[top : top + h, left : left + w] = pixels
    return np.clip(digit / max(digit.max(), 1) * 255, 0, 255).astype("uint8")


def _otsu(values: np.ndarray) -> float:
    """Otsu's threshold: the cut that best separates the values into two classes (largest between-class
    variance)."""
    counts, edges = np.histogram(values, bins=256)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * centres)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight / total - mean) ** 2 / (weight * (total - weight))
    return float(centres[np.nanargmax(between[:-1])])


def pieces(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """The 8-connected pieces of a boolean mask: a label per pixel (0 where the mask is off, pieces numbered from
    1 in the order their first pixel comes, row by row) and how many. By runs: each row's runs of ink, a run joined
    to the runs it touches in the row above (corners included), union-find over the runs."""
    height, width = mask.shape
    edges = np.diff(np.pad(mask.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]  # one past each run, in the same order as the starts
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = np.searchsorted(rows, np.arange(height + 1)).tolist()
    begin, end = starts.tolist(), ends.tolist()
    for r in range(1, height):
        i, j = first[r - 1], first[r]
        while i < first[r] and j < first[r + 1]:
            if begin[i] <= end[j] and begin[j] <= end[i]:  # touching, diagonally included
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            if end[i] < end[j]:
                i += 1
            else:
                j += 1
    roots = [root(i) for i in range(len(rows))]
    number = {r: n for n, r in enumerate(sorted(set(roots)), start=1)}
    labels = np.zeros((height, width), dtype=np.int32)
    for k, r in enumerate(roots):
        labels[rows[k], begin[k] : end[k]] = number[r]
    return labels, len(number)


def _components(mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The 8-connected pieces of a boolean mask, each as (rows, columns) index arrays."""
    labels, count = pieces(mask)
    if not count:
        return []
    rows, cols = np.nonzero(labels)
    order = np.argsort(labels[rows, cols], kind="stable")
    bounds = np.cumsum(np.bincount(labels[rows, cols], minlength=count + 1)[1:])[:-1]
    return list(zip(np.split(rows[order], bounds), np.split(cols[order], bounds)))
