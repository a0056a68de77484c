"""Scanned answer sheets as pixels, for ``convzoo scan``: a scanner's PDF or a photo made into grey pages, each page
found by its QR code and corner marks (any way up, skewed, in perspective), and each box of layout.json read off
it: a tick box as ticked or not, a field's digit boxes each as empty or as a 28x28 digit framed the way
``predict`` frames one.
numpy, Pillow, pypdfium2 and zxing-cpp: no TensorFlow (the digits are read by the model in ``digit_reader``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .errors import TrainingError
from .photos import _components, grey_picture, mnist_frame, near_ink, pieces

PICTURE_SIZE = 4200  # a photo's longer side is reduced to this at most: an A4 page at 360 dpi
RENDER_DPI = 200  # a scanner's PDF is rendered at this resolution: a digit box is then 47 x 63 pixels
SAMPLE_PER_MM = 8  # a box is sampled at 8 pixels a millimetre, whatever the scan's resolution
MARK_INSET_MM = 0.6  # a tick box's inside: this far within its border as found
INK = 0.45  # darker than paper by this share of paper-to-black: ink (a tick box's cross)
STROKE = 0.3  # a digit's pen stroke, pale ones too: a digit box's grey border is lighter
OPTION_MM = 20.0  # what is printed after a tick box, at most ('does not fit')
AROUND_MM = 2.0  # the paper about a box, sampled with it: what paper looks like there
DIGIT_INK_PIXELS = 18  # inked pixels (of a 6 x 8 mm box's 48 x 64) below which a digit box is empty
BAND = 4  # pixels (half a millimetre) each side of a border: where what is left of it lies
BOX_KEEP_SHARE = 0.05  # of the largest piece of ink in a digit box, the smallest piece kept (predict's: a fifth)


@dataclass
class Page:
    """One scanned page: its grey pixels, what its code says (None if unreadable), and where its boxes are."""

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
    return [(path, grey_picture(path, largest=PICTURE_SIZE))]


def find_page(grey: np.ndarray, layout: dict) -> Page:
    """The page, with its code read and its mapping from the printed page's millimetres to pixels: first from the
    QR code's corners (which also say which way up the page is), then from the four corner marks found near where
    that puts them (a mapping from a 12 mm code would be millimetres off across a page). ``layout``: layout.json,
    which says where the code and the marks are."""
    page = Page(grey)
    image = np.ascontiguousarray(grey.clip(0, 255).astype("uint8"))
    found, scale = _qr_codes(image), 1.0
    if not found:  # a code of small modules (a photo from afar, a low resolution): a look at twice the size
        larger = Image.fromarray(image).resize((image.shape[1] * 2, image.shape[0] * 2), Image.Resampling.BICUBIC)
        found, scale = _qr_codes(larger), 0.5
    if not found:
        return page
    code = found[0]
    page.code = code.text
    p = code.position
    corners_px = [(q.x * scale, q.y * scale) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    x, y, w, h = layout["qr_mm"]
    marks_mm = [tuple(c) for c in layout["marks_mm"]["centres"]]
    mark_size = layout["marks_mm"]["size"]
    qr_corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    # first an affine map from the code's corners: its perspective, read off 12 mm, would be wild across the page;
    # then the marks found near where it puts them, and the map refitted to them and the code, again (the marks
    # found first put the others where another look finds them)
    mapping = affine(qr_corners, corners_px)
    marks: dict[int, tuple[float, float]] = {}
    for search_mm in (12.0, 25.0, 40.0):  # further each time: a page in steep perspective is far from the guess
        for k, centre in enumerate(marks_mm):
            if k not in marks:
                found_at = _mark_centre(grey, mapping, centre, mark_size, search_mm)
                if found_at is not None:
                    marks[k] = found_at
        if len(marks) == 4:  # the marks alone: the code's corners as read are a module's fraction off
            mapping = homography(marks_mm, [marks[k] for k in range(4)])
        else:
            src = [marks_mm[k] for k in marks] + qr_corners
            dst = [marks[k] for k in marks] + corners_px
            mapping = affine(src, dst)  # a perspective from points that crowd one edge would be wild
        # a dark blob taken for a mark is where the map (fitted to the others) does not put it: dropped
        wrong = [k for k in marks if _residual(mapping, marks_mm[k], marks[k]) > 1.5 * _per_mm(mapping)]
        for k in wrong:
            del marks[k]
    page.to_pixels = mapping
    return page


def _qr_codes(image) -> list:
    """The QR codes zxing-cpp reads in ``image`` (a grey array or picture)."""
    import zxingcpp

    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    return [code for code in zxingcpp.read_barcodes(image, formats=qr) if code.valid]


def _per_mm(mapping: np.ndarray) -> float:
    """About how many pixels a millimetre is, by the map."""
    return float(np.sqrt(abs(np.linalg.det(mapping[:2, :2]))))


def _residual(mapping: np.ndarray, mm, px) -> float:
    u, v = _apply(mapping, np.array([mm[0]]), np.array([mm[1]]))
    return float(np.hypot(u[0] - px[0], v[0] - px[1]))


def affine(src, dst) -> np.ndarray:
    """The 3x3 affine map that takes the points ``src`` closest to ``dst`` (least squares)."""
    a = np.array([[x, y, 1.0] for x, y in src])
    solution, *_ = np.linalg.lstsq(a, np.array(dst, dtype="float64"), rcond=None)
    return np.vstack([solution.T, [0.0, 0.0, 1.0]])


def homography(src, dst) -> np.ndarray:
    """The 3x3 projective map that takes the points ``src`` (four or more) closest to ``dst``: the direct linear
    transform, its points first normalised (centred, scaled), by least squares (SVD)."""

    def normalising(points):
        points = np.asarray(points, dtype="float64")
        centre = points.mean(axis=0)
        scale = np.sqrt(2) / max(np.sqrt(((points - centre) ** 2).sum(axis=1)).mean(), 1e-9)
        return np.array([[scale, 0, -scale * centre[0]], [0, scale, -scale * centre[1]], [0, 0, 1]])

    ts, td = normalising(src), normalising(dst)
    rows = []
    for (x, y), (u, v) in zip(src, dst):
        x, y, _ = ts @ (x, y, 1.0)
        u, v, _ = td @ (u, v, 1.0)
        rows.append([-x, -y, -1, 0, 0, 0, u * x, u * y, u])
        rows.append([0, 0, 0, -x, -y, -1, v * x, v * y, v])
    _, _, vt = np.linalg.svd(np.array(rows))
    matrix = np.linalg.inv(td) @ vt[-1].reshape(3, 3) @ ts
    return matrix / matrix[2, 2]


def _apply(matrix: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = matrix[2, 0] * xs + matrix[2, 1] * ys + matrix[2, 2]
    return (matrix[0, 0] * xs + matrix[0, 1] * ys + matrix[0, 2]) / w, (
        matrix[1, 0] * xs + matrix[1, 1] * ys + matrix[1, 2]
    ) / w


def _mark_centre(grey: np.ndarray, rough: np.ndarray, centre_mm, size_mm: float, search_mm: float):
    """The centre (pixels) of the solid corner mark near where ``rough`` puts it: of the dark pieces in the
    window sampled around it, the nearest that is a solid square of about the mark's size (not a QR module's
    cluster, a letter or the scan's dark edge); None if there is none."""
    per_mm = 4
    cx, cy = centre_mm
    window = sample(grey, rough, cx - search_mm, cy - search_mm, 2 * search_mm, 2 * search_mm, per_mm=per_mm)
    paper = np.percentile(window, 90)
    dark = window < paper * 0.5
    expected = (size_mm * per_mm) ** 2
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


def _box(page: Page, rect, inset: float) -> tuple[np.ndarray, float]:
    """A box's inside sampled, and the paper's grey around it. The box is sampled with the paper about it and
    its printed border is looked for within 0.6 mm of where the page's mapping puts it (a scan stretches
    unevenly, a photo more): the inside is what lies ``inset`` mm within the border found. Paper is what it is
    near the box (a photo's light is uneven): the lightest tenth of the box and the paper about it."""
    x, y, w, h = rect
    per = SAMPLE_PER_MM
    assert page.to_pixels is not None  # a page is read once it is found
    region = sample(page.grey, page.to_pixels, x - AROUND_MM, y - AROUND_MM, w + 2 * AROUND_MM, h + 2 * AROUND_MM, per)
    paper = float(np.percentile(region, 90))
    dark = region < paper * (1 - INK)
    near = round(AROUND_MM * per)
    # a border runs the box's whole side, where a digit's stroke never does: profiles over the whole side
    rows, cols = slice(near, near + round(h * per)), slice(near, near + round(w * per))
    across = dark[rows, :].mean(axis=0)
    down = dark[:, cols].mean(axis=1)
    left, right = _line(across, near), _line(across, near + round(w * per))
    top, bottom = _line(down, near), _line(down, near + round(h * per))
    margin = round(inset * per)
    return region[top + margin : bottom - margin, left + margin : right - margin].copy(), paper


def _line(profile: np.ndarray, expected: int) -> int:
    """Where a printed border line is, near ``expected`` (within 0.6 mm): the darkest place of the profile
    there, if it is inked nearly all along (a line), else ``expected``."""
    reach = round(0.6 * SAMPLE_PER_MM)
    low, high = max(0, expected - reach), min(len(profile), expected + reach + 1)
    found = low + int(np.argmax(profile[low:high]))
    return found if profile[found] >= 0.8 else expected


def mark_share(page: Page, rect) -> float:
    """The share of a tick box's inside that is inked."""
    inside, paper = _box(page, rect, MARK_INSET_MM)
    return float((inside < paper * (1 - INK)).mean())


def field_digits(page: Page, rects: list) -> list[np.ndarray | None]:
    """The digits written in a field's boxes (``rects``: one row of boxes, in mm), each as a 28x28 MNIST digit
    (light on dark, framed as ``predict`` frames one), or None where a box is empty. The boxes are read together:
    a digit is a piece of ink, and it is the digit of the box that holds most of its ink, so one written over its
    box's border is read whole, and the part that strays is not read as a digit of the next box; two digits that
    touch are parted where their boxes meet. The boxes are printed in a grey lighter than ink (a form's "dropout"
    colour), so a stroke on a border is not lost with it; where a scan makes them as dark as ink, the borders are
    lifted off (``_lift_borders``)."""
    per = SAMPLE_PER_MM
    left, top = min(r[0] for r in rects) - AROUND_MM, min(r[1] for r in rects) - AROUND_MM
    right, bottom = max(r[0] + r[2] for r in rects) + AROUND_MM, max(r[1] + r[3] for r in rects) + AROUND_MM
    assert page.to_pixels is not None  # a page is read once it is found
    region = sample(page.grey, page.to_pixels, left, top, right - left, bottom - top, per)
    # paper is what most of each column is, smoothed over 4 mm: a photo's light changes along a field
    paper = np.percentile(region, 90, axis=0)
    reach = 2 * per
    paper = np.convolve(np.pad(paper, reach, mode="edge"), np.ones(2 * reach + 1) / (2 * reach + 1), mode="valid")
    ink = region < paper * (1 - STROKE)
    strength = np.clip(paper - region, 0, None)
    boxes = [
        (round((x - left) * per), round((y - top) * per), round((x + w - left) * per), round((y + h - top) * per))
        for x, y, w, h in rects
    ]
    borders = _lift_borders(ink, boxes)
    labels, count = pieces(ink)
    if not count:
        return [None] * len(boxes)
    flat = labels.ravel()
    weight = np.bincount(flat, weights=strength.ravel(), minlength=count + 1)
    size = np.bincount(flat, minlength=count + 1)
    # a pen's stroke is 3 pixels wide or more somewhere (0.4 mm); a bit of border or a speck is not
    solid = ink.copy()
    solid[1:-1, 1:-1] &= ink[:-2, 1:-1] & ink[2:, 1:-1] & ink[1:-1, :-2] & ink[1:-1, 2:]
    solid[[0, -1], :], solid[:, [0, -1]] = False, False
    thin = np.bincount(labels[solid], minlength=count + 1) == 0
    # what is left of a border lies along it, short or a border's width; a stroke on a border (a 1 written on
    # it) is tall and a pen's width (0.5 mm: 4 pixels on average)
    inked_rows = np.nonzero(labels)[0]
    first_row, last_row = np.full(count + 1, labels.shape[0]), np.zeros(count + 1, dtype=int)
    np.minimum.at(first_row, labels[labels > 0], inked_rows)
    np.maximum.at(last_row, labels[labels > 0], inked_rows)
    height = np.maximum(last_row - first_row + 1, 1)
    stroke = (height >= min(y1 - y0 for _, y0, _, y1 in boxes) / 3) & (size >= 4 * height)
    left_of_border = (np.bincount(flat, weights=borders.ravel(), minlength=count + 1) >= 0.6 * size) & ~stroke
    inside = np.array(
        [
            np.bincount(labels[y0:y1, x0:x1].ravel(), weights=strength[y0:y1, x0:x1].ravel(), minlength=count + 1)
            for x0, y0, x1, y1 in boxes
        ]
    )
    shares = inside / np.maximum(weight, 1e-9)
    centres = np.array([(x0 + x1) / 2 for x0, _, x1, _ in boxes])
    mine = np.zeros((len(boxes), *ink.shape), dtype=bool)  # each box's ink
    for n in range(1, count + 1):
        held = shares[:, n]
        if held.sum() < 0.5 or left_of_border[n] or thin[n]:
            continue  # mostly outside the boxes (print, a neighbouring field's ink), what is left of a border, a speck
        piece = labels == n
        rows, cols = np.nonzero(piece)
        filled = [b for b, box in enumerate(boxes) if _fills(rows, cols, box)]
        if len(filled) < 2:
            mine[int(np.argmax(held))] |= piece  # one digit, and what of it strays over a border
            continue
        # digits that touch: each box the ink nearer its middle (two 0s side by side: each its own side)
        nearest = np.array(filled)[np.abs(cols[:, None] - centres[None, filled]).argmin(axis=1)]
        for b in filled:
            mine[b][rows[nearest == b], cols[nearest == b]] = True
    out: list[np.ndarray | None] = []
    for b in range(len(boxes)):
        owned = np.bincount(labels[mine[b]], weights=strength[mine[b]], minlength=count + 1)
        # the digit's pieces (an 8's loop drawn apart, a 5's bar), not specks
        keep = mine[b] & (owned >= max(owned.max(), 1e-9) * BOX_KEEP_SHARE)[labels]
        if keep.sum() < DIGIT_INK_PIXELS:
            out.append(None)
            continue
        out.append(mnist_frame(np.where(near_ink(keep) & ~(ink & ~keep), strength, 0), keep))
    return out


def _fills(rows: np.ndarray, cols: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the ink at (rows, cols) inside ``box`` is a digit there (a third of the box across and down or
    more), not the edge of one next door that strays over the border."""
    x0, y0, x1, y1 = box
    inside = (cols >= x0) & (cols < x1) & (rows >= y0) & (rows < y1)
    if not inside.any():
        return False
    return bool(np.ptp(cols[inside]) + 1 >= (x1 - x0) / 3 and np.ptp(rows[inside]) + 1 >= (y1 - y0) / 3)


def _lift_borders(ink: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    """Where the boxes' borders came out as dark as ink (a scan's contrast, a printer without grey), each border
    is lifted off ``ink``: across it, a run of ink about the border's width is the border alone (taken away); a
    wider one is a stroke on it or over it (kept, so that a digit over its border stays whole). Returns where
    the borders are (and a few pixels about them), where what is left of a border lies."""
    borders = np.zeros_like(ink)
    reach = round(0.6 * SAMPLE_PER_MM)
    rows = slice(min(b[1] for b in boxes), max(b[3] for b in boxes))
    columns = np.zeros(ink.shape[1], dtype=bool)
    for x0, _, x1, _ in boxes:
        columns[x0:x1] = True
    across, down = ink[rows, :].mean(axis=0), ink[:, columns].mean(axis=1)
    for lines, profile, flipped, band in (
        ({b[0] for b in boxes} | {b[2] for b in boxes}, across, ink, borders),
        ({b[1] for b in boxes} | {b[3] for b in boxes}, down, ink.T, borders.T),
    ):
        for expected in sorted(lines):
            low, high = max(1, expected - reach), min(len(profile) - 1, expected + reach + 1)
            at = low + int(np.argmax(profile[low:high]))
            if profile[at] < 0.6:  # no border there as dark as ink: nothing to lift, bits of one at most
                band[:, max(0, expected - BAND) : expected + BAND + 1] = True
                continue
            # each row's run of ink through the border (up to 12 pixels each side of it)
            on = flipped[:, at]
            a = at - _leading(flipped[:, max(0, at - 12) : at][:, ::-1])
            b = at + _leading(flipped[:, at + 1 : at + 13])
            width = float(np.median((b - a + 1)[on]))
            across_at = np.arange(flipped.shape[1])
            lone = on & (b - a + 1 <= width + 2)
            flipped[lone[:, None] & (across_at >= a[:, None]) & (across_at <= b[:, None])] = False
            band[:, max(0, at - round(width / 2) - BAND) : at + round(width / 2) + BAND + 1] = True
    return borders


def _leading(ink: np.ndarray) -> np.ndarray:
    """For each row, how many of its first pixels are ink."""
    return np.where(ink.all(axis=1), ink.shape[1], np.argmin(ink, axis=1))


def field_picture(page: Page, boxes: list[dict], margin_mm: float = 2.0, per_mm: int = 6) -> bytes:
    """A field as scanned, for a person to read (review.html): its boxes and the paper about them, straightened,
    as PNG."""
    import io

    left = min(b["rect_mm"][0] for b in boxes) - margin_mm
    top = min(b["rect_mm"][1] for b in boxes) - margin_mm
    # a tick box's option is printed after it ('does not fit', 'minus'): in the picture too
    right = max(b["rect_mm"][0] + b["rect_mm"][2] + (OPTION_MM if b["holds"] == "mark" else 0) for b in boxes)
    right += margin_mm
    bottom = max(b["rect_mm"][1] + b["rect_mm"][3] for b in boxes) + margin_mm
    assert page.to_pixels is not None  # a page is pictured once it is found
    pixels = sample(page.grey, page.to_pixels, left, top, right - left, bottom - top, per_mm)
    out = io.BytesIO()
    Image.fromarray(pixels.clip(0, 255).astype("uint8")).save(out, "PNG", optimize=True)
    return out.getvalue()
