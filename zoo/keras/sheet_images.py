"""Scanned answer sheets as pixels, for ``convzoo scan``: a scanner's PDF or a photo made into grey pages, each page
found by its QR code and corner marks (any way up, skewed, in perspective), and each box of layout.json read off
it: a tick box as ticked or not, a digit box as empty or as a 28x28 digit framed the way ``predict`` frames one.
numpy, Pillow, pypdfium2 and zxing-cpp: no TensorFlow (the digits are read by the model in ``digit_reader``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import TrainingError
from .photos import digit_from_grey

RENDER_DPI = 200  # a scanner's PDF is rendered at this resolution: a digit box is then 47 x 63 pixels
SAMPLE_PER_MM = 8  # a box is sampled at 8 pixels a millimetre, whatever the scan's resolution
BOX_INSET_MM = 0.45  # inside a box's border (0.3 mm); what the scan's misplacement leaves of it is taken out
MARK_INSET_MM = 0.7
INK = 0.45  # darker than paper by this share of paper-to-black: ink
MARK_TICKED = 0.06  # of a tick box's inside, the share inked by a cross (a clean box: under 0.01)
MARK_UNSURE = (0.025, 0.12)  # between these, a person looks
MARK_SIZE_MM = 5.0  # the corner marks (questions/scansheet.py's MARK_STAMP_MM)
DIGIT_INK_PIXELS = 18  # inked pixels (of about 33 x 49) below which a digit box is empty


@dataclass
class Page:
    """One scanned page: where it came from, its grey pixels, and what its code says (None if unreadable)."""

    source: str  # the file, and the page of a PDF: 'scans/b.pdf page 3'
    grey: np.ndarray  # float32, 0 (black) to 255 (white)
    code: str | None = None
    to_pixels: np.ndarray | None = None  # 3x3: millimetres on the printed page -> this scan's pixels


def pages_of(path: str) -> list[tuple[str, np.ndarray]]:
    """Every page of a scanner's PDF (rendered at RENDER_DPI), or the one page of a picture (JPEG, PNG, ...),
    as (where, grey pixels)."""
    if path.lower().endswith(".pdf"):
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as err:
            raise TrainingError(f"{path}: not a PDF convzoo can read ({err})") from None
        out = []
        for number in range(len(document)):
            bitmap = document[number].render(scale=RENDER_DPI / 72, grayscale=True)
            out.append((f"{path} page {number + 1}", np.asarray(bitmap.to_pil().convert("L"), dtype="float32")))
        document.close()
        return out
    from .photos import grey_picture

    return [(path, grey_picture(path))]


def find_page(source: str, grey: np.ndarray, qr_mm, marks_mm) -> Page:
    """The page, with its code read and its mapping from the printed page's millimetres to pixels: first from the
    QR code's corners (which also say which way up the page is), then from the four corner marks found near where
    that puts them (a mapping from a 12 mm code would be millimetres off across a page)."""
    import zxingcpp

    page = Page(source, grey)
    image = np.ascontiguousarray(grey.clip(0, 255).astype("uint8"))
    found = [b for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if b.valid]
    if not found:
        return page
    code = found[0]
    page.code = code.text
    p = code.position
    corners_px = [(p.top_left.x, p.top_left.y), (p.top_right.x, p.top_right.y)]
    corners_px += [(p.bottom_right.x, p.bottom_right.y), (p.bottom_left.x, p.bottom_left.y)]
    x, y, w, h = qr_mm
    # an affine map from the code's corners: its perspective, read off 12 mm, would be wild across the page
    rough = affine([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], corners_px)
    marks = [_mark_centre(grey, rough, centre) for centre in marks_mm]
    found_marks = [(mm, px) for mm, px in zip(marks_mm, marks) if px is not None]
    if len(found_marks) == 4:
        page.to_pixels = homography(marks_mm, marks)
    elif len(found_marks) == 3:
        page.to_pixels = affine(*zip(*found_marks))
    else:
        page.to_pixels = rough
    return page


def affine(src, dst) -> np.ndarray:
    """The 3x3 affine map that takes the points ``src`` closest to ``dst`` (least squares)."""
    a = np.array([[x, y, 1.0] for x, y in src])
    solution, *_ = np.linalg.lstsq(a, np.array(dst, dtype="float64"), rcond=None)
    return np.vstack([solution.T, [0.0, 0.0, 1.0]])


def homography(src, dst) -> np.ndarray:
    """The 3x3 projective map taking the four points ``src`` to ``dst``."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    solution = np.linalg.solve(np.array(rows, dtype="float64"), np.array(rhs, dtype="float64"))
    return np.append(solution, 1.0).reshape(3, 3)


def _apply(matrix: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = matrix[2, 0] * xs + matrix[2, 1] * ys + matrix[2, 2]
    return (matrix[0, 0] * xs + matrix[0, 1] * ys + matrix[0, 2]) / w, (
        matrix[1, 0] * xs + matrix[1, 1] * ys + matrix[1, 2]
    ) / w


def _mark_centre(grey: np.ndarray, rough: np.ndarray, centre_mm, search_mm: float = 12.0):
    """The centre (pixels) of the solid corner mark near where ``rough`` puts it: of the dark pieces in the
    window sampled around it, the nearest that is a solid square of about the mark's size (not a QR module's
    cluster, a letter or the scan's dark edge); None if there is none."""
    from .photos import _components

    per_mm = 4
    cx, cy = centre_mm
    window = sample(grey, rough, cx - search_mm, cy - search_mm, 2 * search_mm, 2 * search_mm, per_mm=per_mm)
    paper = np.percentile(window, 90)
    dark = window < paper * 0.5
    expected = (MARK_SIZE_MM * per_mm) ** 2
    best, best_distance = None, None
    for rows, cols in _components(dark):
        height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
        if not (0.5 * expected <= rows.size <= 1.8 * expected and 0.6 <= height / width <= 1.6):
            continue
        if rows.size < 0.75 * height * width:  # solid, not a ring or a cluster of modules
            continue
        fy, fx = rows.mean(), cols.mean()
        distance = np.hypot(fy - search_mm * per_mm, fx - search_mm * per_mm)
        if best_distance is None or distance < best_distance:
            best, best_distance = (fx, fy), distance
    if best is None:
        return None
    fx, fy = best
    px, py = _apply(
        rough, np.array([cx - search_mm + (fx + 0.5) / per_mm]), np.array([cy - search_mm + (fy + 0.5) / per_mm])
    )
    return float(px[0]), float(py[0])


def sample(grey: np.ndarray, to_pixels: np.ndarray, x: float, y: float, w: float, h: float, per_mm: int) -> np.ndarray:
    """The page's rectangle (x, y, w, h in mm) sampled at ``per_mm`` pixels a millimetre, bilinear; paper where
    it falls off the scan."""
    cols = x + (np.arange(round(w * per_mm)) + 0.5) / per_mm
    rows = y + (np.arange(round(h * per_mm)) + 0.5) / per_mm
    xs, ys = np.meshgrid(cols, rows)
    px, py = _apply(to_pixels, xs, ys)
    height, width = grey.shape
    x0, y0 = np.floor(px).astype(int), np.floor(py).astype(int)
    fx, fy = px - x0, py - y0
    inside = (x0 >= 0) & (y0 >= 0) & (x0 < width - 1) & (y0 < height - 1)
    x0, y0 = np.clip(x0, 0, width - 2), np.clip(y0, 0, height - 2)
    top = grey[y0, x0] * (1 - fx) + grey[y0, x0 + 1] * fx
    bottom = grey[y0 + 1, x0] * (1 - fx) + grey[y0 + 1, x0 + 1] * fx
    return np.where(inside, top * (1 - fy) + bottom * fy, 255.0).astype("float32")


def paper_level(grey: np.ndarray) -> float:
    """The paper's grey: most of a page is paper."""
    return float(np.percentile(grey[::7, ::7], 75))


def mark_share(page: Page, rect, paper: float) -> float:
    """The share of a tick box's inside that is inked."""
    x, y, w, h = rect
    inside = sample(
        page.grey,
        page.to_pixels,
        x + MARK_INSET_MM,
        y + MARK_INSET_MM,
        w - 2 * MARK_INSET_MM,
        h - 2 * MARK_INSET_MM,
        SAMPLE_PER_MM,
    )
    return float((inside < paper * (1 - INK)).mean())


def digit_crop(page: Page, rect, paper: float) -> np.ndarray | None:
    """A digit box's inside as a 28x28 MNIST digit (light on dark), or None where the box is empty."""
    x, y, w, h = rect
    inside = sample(
        page.grey,
        page.to_pixels,
        x + BOX_INSET_MM,
        y + BOX_INSET_MM,
        w - 2 * BOX_INSET_MM,
        h - 2 * BOX_INSET_MM,
        SAMPLE_PER_MM,
    )
    dark = inside < paper * (1 - INK)
    # a border line that the inset did not clear: rows or columns along the edges (up to a millimetre in)
    # that are mostly ink, where a digit's strokes are never that long
    for edge in (*range(SAMPLE_PER_MM), *range(-SAMPLE_PER_MM, 0)):
        if dark[edge, :].mean() > 0.6:
            inside[edge, :], dark[edge, :] = paper, False
        if dark[:, edge].mean() > 0.6:
            inside[:, edge], dark[:, edge] = paper, False
    if dark.sum() < DIGIT_INK_PIXELS:
        return None
    framed = np.full((inside.shape[0] + 16, inside.shape[1] + 16), paper, dtype="float32")  # room around the ink
    framed[8:-8, 8:-8] = inside
    return digit_from_grey(framed)
