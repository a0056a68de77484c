"""`convzoo explore`: the page in Debian's headless Chromium (Playwright) against the real command's server, a
LeNet-5 trained briefly on the real MNIST, every number the page shows checked against Keras; the page while the
model loads, and once it is ready or has failed; the safety rules over HTTP; the one-line refusals of the
command, before anything is served and before TensorFlow starts."""

from __future__ import annotations

import base64
import contextlib
import json
import math
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import MNIST, convzoo_here

pytestmark = pytest.mark.skipif(not MNIST.exists(), reason=f"the real MNIST is not at {MNIST}")


@pytest.fixture(scope="module")
def run_dir(lenet5_run) -> Path:
    """The session's LeNet-5 (2 epochs on MNIST, about 98.5% on the test set): enough to read a drawn 7."""
    return lenet5_run


@pytest.fixture(scope="module")
def server(run_dir):
    """`convzoo explore RUN --no-browser`, as a learner starts it: its address from its first line, printed as it
    starts serving; the second says that the model has loaded."""
    process = subprocess.Popen(
        [sys.executable, "-m", "convzoo", "explore", str(run_dir), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert found, (line, process.stderr.read() if process.poll() is not None else "")
    assert line.endswith("(Ctrl-C stops); loading the model\n")
    assert process.stdout.readline() == "convzoo explore: lenet5 is ready\n"
    yield found.group()
    process.send_signal(2)  # Ctrl-C
    assert process.wait(timeout=30) == 0
    assert process.stderr.read().strip().splitlines()[-1] == "convzoo explore: stopped"


def post(url: str, body, headers: dict | None = None, raw: bytes | None = None):
    """(status, JSON answer) of a POST."""
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture
def page(browser, server):
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto(server)
    yield opened
    opened.close()
    assert errors == []


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def draw_seven(page) -> None:
    """A thick 7 traced with the mouse: the bar, then the stroke down."""
    box = page.locator("#pad").bounding_box()

    def at(x, y):
        return box["x"] + x * box["width"] / 280, box["y"] + y * box["height"] / 280

    page.mouse.move(*at(60, 60))
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(*at(60 + i * 16, 60))
    for i in range(1, 13):
        page.mouse.move(*at(220 - i * 9, 60 + i * 15))
    page.mouse.up()


def settled(page) -> None:
    """The answer to the last stroke is shown (the page's CSP allows no eval: Playwright's waits that compile
    JavaScript from text are refused, so these wait on the page's text)."""
    page.wait_for_selector("#top li[data-class]")
    for _ in range(200):
        if not page.evaluate("busy || again"):
            break
        page.wait_for_timeout(50)
    expect(page.locator("#status")).to_have_text("")


def top_class(page) -> tuple[int, float]:
    first = page.locator("#top li").first
    return int(first.get_attribute("data-class")), float(first.locator(".p").inner_text().rstrip("%")) / 100


def test_a_drawn_seven_is_read_as_seven(page):
    draw_seven(page)
    settled(page)
    assert top_class(page)[0] == 7
    assert page.locator("#source").inner_text() == "Your drawing."
    assert page.locator("#layer-0 .maps canvas").count() == 6  # C1's six maps, drawn


def test_test_digits_are_named_as_predict_names_them(page, run_dir, tmp_path):
    from convzoo.zoo.keras import photos, training
    from PIL import Image

    model = training.load_model(str(run_dir / "model.keras"))
    mnist = np.load(MNIST)
    for index in (0, 1, 2):
        page.fill("#index", str(index))
        page.click("#load")
        expect(page.locator("#source")).to_have_text(re.compile(f"^MNIST test digit {index},"))
        shown = [
            (int(li.get_attribute("data-class")), float(li.locator(".p").inner_text().rstrip("%")) / 100)
            for li in page.locator("#top li").all()
        ]
        digit = mnist["x_test"][index]
        # the page gives the model the test digit itself, as evaluate and visualize do
        expected = training.predict_digit(model, digit)
        assert [(c, round(p, 3)) for c, p in shown] == [(c, round(p, 3)) for c, p in expected]
        # convzoo predict reads a picture of it and frames it again as MNIST did: the same prediction (the
        # runners-up of a model this brief may trade places on the re-framed picture)
        Image.fromarray(digit).save(tmp_path / f"{index}.png")
        predicted = training.predict_digit(model, photos.digit_from_image(str(tmp_path / f"{index}.png")))
        assert shown[0][0] == predicted[0][0] == mnist["y_test"][index]


def test_a_clicked_unit_shows_the_sum_that_made_it(page, server, run_dir):
    from convzoo.zoo.keras import training
    from convzoo.zoo.keras.backend import load_keras

    draw_seven(page)
    settled(page)
    row, col, channel = 9, 12, 2
    canvas = page.locator("#layer-0 .maps canvas").nth(channel)
    size = canvas.bounding_box()
    canvas.click(position={"x": (col + 0.5) * size["width"] / 28, "y": (row + 0.5) * size["height"] / 28})
    working = page.locator("#layer-0 .working")
    working.locator(".unit-value").wait_for()
    assert f"c1, map {channel}, unit (row {row}, column {col})" in working.locator(".head").inner_text()
    terms = [tuple(float(v) for v in term.split(" * ")) for term in working.locator(".term").all_inner_texts()]
    assert len(terms) == 25  # the 5x5 window of the one input map, as the lecture writes it
    bias, z = float(working.locator(".bias").inner_text()), float(working.locator(".z").inner_text())
    shown = float(working.locator(".unit-value").inner_text())
    assert sum(x * w for x, w in terms) + bias == pytest.approx(z, abs=2e-3)  # 4 decimals a number
    assert math.tanh(z) == pytest.approx(shown, abs=2e-4)
    assert float(working.locator(".activated").inner_text()) == pytest.approx(shown, abs=1e-4)

    # Keras, here: C1 of the same model on the input the page's drawing gave it
    keras = load_keras()
    model = training.load_model(str(run_dir / "model.keras"))
    drawing = page.evaluate("subject")
    status, answer = post(server + "api/analyze", drawing)
    assert status == 200
    given = np.frombuffer(base64.b64decode(answer["input"]["values"]), "float32").reshape(32, 32, 1)
    c1 = keras.Model(model.input, model.get_layer("c1").output)(given[None]).numpy()[0]
    assert c1[row, col, channel] == pytest.approx(shown, abs=1e-4)
    inputs = np.array([x for x, _ in terms]).reshape(5, 5)
    assert np.allclose(inputs, given[row : row + 5, col : col + 5, 0], atol=1e-4)  # the window is the unit's own
    # its receptive field outlined on the input: 5 of its 32 pixels each way, from (row, col)
    outline = page.evaluate(
        "(() => { const s = document.querySelector('#input-frame .outline').style;"
        " return [s.top, s.left, s.width, s.height]; })()"
    )
    expected = [100 * row / 32, 100 * col / 32, 100 * 5 / 32, 100 * 5 / 32]  # top, left, width, height
    assert [float(v.rstrip("%")) for v in outline] == pytest.approx(expected)
    # the whole network on one line: the unit on C1's chip, the window it reads on the input's
    chips = page.locator("#overview .chip")
    assert chips.count() == 1 + page.locator("#layers .layer").count()
    assert "unit" in chips.nth(1).get_attribute("class") and chips.nth(1).locator("i").inner_text() == (
        f"map {channel} ({row}, {col})"
    )
    assert "reads" in chips.nth(0).get_attribute("class")
    assert chips.nth(0).locator("i").inner_text() == f"rows {row}-{row + 4}, cols {col}-{col + 4}"


def test_the_projector_shows_one_layer_at_a_time_in_large_type(browser, server):
    """On a 1920x1080 projector: each layer says what it does in the lecture's words, its colour scale is drawn
    with 0 marked, P shows one layer at a time in large type with the maps twice the size, the arrow keys step
    through the layers, Esc leaves; #projector opens the page in it."""
    opened = browser.new_page(viewport={"width": 1920, "height": 1080})
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto(server)
    layers = opened.locator("#layers .layer")
    count = layers.count()
    assert opened.locator("#layer-0 .explains").inner_text().startswith("A convolution layer: each filter slides")
    assert (
        "Max pooling" in opened.locator("#layers").inner_text()
        or "Average pooling" in opened.locator("#layers").inner_text()
    )
    opened.click("#load")
    expect(opened.locator("#source")).to_have_text(re.compile("^MNIST test digit 0,"))
    legend = opened.locator("#layer-0 .legend")
    low, high = (float(t) for t in legend.locator(":scope > span:not(.scale)").all_inner_texts()[:2])
    assert legend.locator(".scale canvas").count() == 1 and low < 0 < high  # tanh: both signs, 0 marked
    assert legend.locator(".scale .zero").count() == 1
    desk_width = opened.locator("#layer-0 .maps canvas").first.bounding_box()["width"]

    opened.keyboard.press("p")
    assert opened.evaluate("location.hash") == "#projector"
    assert [layers.nth(n).is_visible() for n in range(count)] == [True] + [False] * (count - 1)
    assert float(opened.evaluate("getComputedStyle(document.body).fontSize").rstrip("px")) >= 22
    assert opened.locator("#layer-0 .maps canvas").first.bounding_box()["width"] == 2 * desk_width
    opened.keyboard.press("ArrowRight")
    opened.keyboard.press("ArrowRight")
    assert [layers.nth(n).is_visible() for n in range(count)].index(True) == 2
    assert opened.locator("#at").inner_text().startswith(f"layer 3 of {count}: c3")
    opened.keyboard.press("Escape")
    assert all(layers.nth(n).is_visible() for n in range(count))
    assert errors == []
    opened.close()
    bookmarked = browser.new_page(viewport={"width": 1920, "height": 1080})
    bookmarked.goto(server + "#projector")
    assert bookmarked.evaluate("document.body.classList.contains('projector')")
    bookmarked.close()


def test_the_test_digits_it_gets_wrong_open_one_by_one(page, run_dir):
    """'Find them' lists every test digit the model names wrong, as Keras names them, the surest first; each
    opens like 'Load test digit'."""
    from convzoo.zoo.keras import training

    find = page.locator("#find-wrong")
    expect(find).to_be_enabled(timeout=30_000)
    find.click()
    expect(page.locator("#wrong li").first).to_be_visible(timeout=60_000)
    model = training.load_model(str(run_dir / "model.keras"))
    mnist = np.load(MNIST)
    outputs = model.predict(training.fit_inputs(mnist["x_test"], tuple(model.input_shape[1:])), verbose=0)
    named, surest = outputs.argmax(axis=1), outputs.max(axis=1)
    wrong = np.flatnonzero(named != mnist["y_test"])
    note = page.locator("#wrong-note").inner_text()
    assert note.startswith(f"{len(wrong):,} of 10,000 named wrong ({100 * (1 - len(wrong) / 10000):.2f}% right)")
    listed = [int(b.get_attribute("data-index")) for b in page.locator("#wrong button").all()]
    assert listed == sorted(wrong, key=lambda i: (-surest[i], i))[:200]
    first = listed[0]
    page.locator("#wrong button").first.click()
    expect(page.locator("#source")).to_have_text(
        re.compile(f"^MNIST test digit {first}, labelled {mnist['y_test'][first]}")
    )
    assert top_class(page)[0] == named[first] != mnist["y_test"][first]


def test_a_unit_shows_its_window_kernel_and_products_and_slides_along_its_row(page):
    """A conv unit's working draws its window, the kernel and their products as grids (CNN Explainer's view);
    the window then slides along the row, a position at a time, until stopped."""
    draw_seven(page)
    settled(page)
    canvas = page.locator("#layer-0 .maps canvas").first
    size = canvas.bounding_box()
    canvas.click(position={"x": 0.5 * size["width"] / 28, "y": 10.5 * size["height"] / 28})  # row 10, column 0
    working = page.locator("#layer-0 .working")
    working.locator(".matrices").wait_for()
    grids = [
        [[float(td) for td in tr.locator("td").all_inner_texts()] for tr in grid.locator("tr").all()]
        for grid in working.locator(".matrix table").all()
    ]
    window, kernel, products = grids
    assert [len(window), len(window[0])] == [5, 5] and len(kernel) == len(products) == 5
    terms = [tuple(float(v) for v in t.split(" * ")) for t in working.locator(".term").all_inner_texts()]
    assert [x for row in window for x in row] == pytest.approx([x for x, _ in terms], abs=5e-3)
    assert [p for row in products for p in row] == pytest.approx([x * w for x, w in terms], abs=6e-3)  # 2 places
    working.locator(".slide").click()
    expect(working.locator(".head")).to_contain_text("column 2", timeout=10_000)
    expect(working.locator(".slide")).to_have_text("Stop")
    working.locator(".slide").click()
    expect(working.locator(".slide")).to_have_text("Slide the window along the row")
    column = int(re.search(r"column (\d+)", working.locator(".head").inner_text()).group(1))
    page.wait_for_timeout(800)
    assert f"column {column})" in working.locator(".head").inner_text()  # stopped where it was

    f6 = page.locator('.layer[data-name="f6"]')  # a dense unit: every product, by index
    f6.locator(".maps canvas").click(position={"x": 3, "y": 3})
    f6.locator(".working details.products").wait_for()
    f6.locator(".working details.products summary").click()
    cells = f6.locator(".working .products .cell").all_inner_texts()
    assert [int(c.split()[0]) for c in cells] == list(range(120))  # C5's 120 values, each times its weight
    total = float(re.search(r"sum of all 120 = (-?[\d.]+)", f6.locator(".working").inner_text()).group(1))
    assert sum(float(c.split()[1]) for c in cells) == pytest.approx(total, abs=120 * 5e-5)


def test_a_phone_sized_viewport_is_usable(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    phone = context.new_page()
    phone.goto(server)
    pad = phone.locator("#pad").bounding_box()
    assert pad["x"] >= 0 and pad["x"] + pad["width"] <= 390 and pad["width"] >= 250
    draw_seven(phone)
    settled(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    canvas = phone.locator("#layer-0 .maps canvas").first  # a unit's grids and the overview wrap on a phone too
    canvas.scroll_into_view_if_needed()
    canvas.tap(position={"x": 20, "y": 20})
    phone.locator("#layer-0 .working .matrices").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


@pytest.mark.parametrize(
    "headers, body, status, says",
    [
        ({"Origin": "http://evil.example"}, {"test_digit": 0}, 403, "another origin"),
        ({"Host": "evil.example"}, {"test_digit": 0}, 403, "Host must be"),
        ({}, {"test_digit": 10**6}, 400, "test_digit: expected a whole number from 0 to 9999"),
        ({}, {"drawing": {"width": 3, "height": 3, "ink": "AAAA"}}, 400, "expected base64 of 3x3 = 9 bytes"),
        ({}, {"drawing": {"width": 3, "height": 3, "ink": "AAAA"}, "path": "/etc/passwd"}, 400, "unknown field 'path'"),
        ({}, [1, 2], 400, "expected a JSON object"),
        ({"Content-Type": "text/plain"}, {"test_digit": 0}, 415, "Content-Type: application/json"),
    ],
)
def test_bad_requests_get_one_json_line(server, headers, body, status, says):
    got, answer = post(server + "api/analyze", body, headers)
    assert got == status and says in answer["error"]


def test_a_body_too_large_is_refused_unread(server):
    status, answer = post(server + "api/analyze", None, {"Content-Length": str(3 * 1024 * 1024)}, raw=b"{}")
    assert status == 413 and "at most 2,097,152" in answer["error"]
    status, answer = post(server + "api/analyze", None, raw=b"{not json")
    assert status == 400 and answer == {"error": "the body is not valid JSON"}


def test_the_page_loads_nothing_from_elsewhere(server):
    with urllib.request.urlopen(server, timeout=30) as response:
        policy, html = response.headers["Content-Security-Policy"], response.read().decode()
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


@pytest.mark.parametrize("layer, map_", [("f6", 40), ("output", 7)])
def test_dense_units_are_worked_to_their_values(server, layer, map_):
    """F6's tanh, and the output's softmax over the ten sums (each of them needed for one unit)."""
    status, answer = post(server + "api/unit", {"test_digit": 0, "layer": layer, "map": map_, "row": 0, "col": 0})
    assert status == 200, answer
    working = answer["working"]
    assert working["z"] == pytest.approx(working["sum"] + working["bias"])
    assert working["activated"] == pytest.approx(answer["value"], abs=1e-6)
    assert len(working["products"]) == working["count"] and sum(working["products"]) == pytest.approx(working["sum"])
    assert all(working["products"][j] == pytest.approx(x * w) for j, x, w in working["largest"])  # by index


@contextlib.contextmanager
def serving(app):
    """``app`` served by the command's own server, in this process, on a free port: its address."""
    from convzoo.zoo import explore as server

    httpd = server.bind(None)
    threading.Thread(target=server.serve, args=(httpd, app), daemon=True).start()
    try:
        yield server.address(httpd)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def lenet1998_server(tmp_path_factory):
    """LeNet-5 as the 1998 paper built it (trainable subsampling, C3's table, RBF outputs), saved as train saves
    it, and served in this process: its weights untrained, which the sums do not mind."""
    from convzoo.zoo import explore as server
    from convzoo.zoo.keras import explore, mnist, model_file
    from convzoo.zoo.registry import build

    path = tmp_path_factory.mktemp("lenet5_1998") / "model.keras"
    build("lenet5_1998").save(path)
    zoo = model_file.zoo_model(path, model_file.read_config(path), {})
    test_set, note = mnist.find_test_set(str(MNIST), None)
    app = server.App(server.describe(zoo, len(test_set.x_test), note), "page")
    app.ready(explore.Explorer(explore.open_model(zoo, test_set)))
    with serving(app) as url:
        yield url


@pytest.mark.parametrize(
    "layer, map_, row, col",
    [("c1", 0, 3, 4), ("s2", 5, 7, 2), ("c3", 15, 4, 9), ("c3", 0, 0, 0), ("f6", 83, 0, 0), ("output", 3, 0, 0)],
)
def test_lenet5_1998_units_are_worked_with_its_own_layers(lenet1998_server, layer, map_, row, col):
    status, answer = post(
        lenet1998_server + "api/unit", {"test_digit": 4, "layer": layer, "map": map_, "row": row, "col": col}
    )
    assert status == 200, answer
    working = answer["working"]
    if working["kind"] == "rbf":
        assert working["value"] == pytest.approx(answer["value"], rel=1e-5)
        return
    assert working["activated"] == pytest.approx(answer["value"], abs=1e-5)
    if layer == "c3":  # C3's map reads only its row of Table I: maps 0-2 for map 0, all six for map 15
        assert [c["map"] for c in working["channels"]] == ([0, 1, 2] if map_ == 0 else list(range(6)))
        assert answer["below_window"]["maps"] == [c["map"] for c in working["channels"]]
    if layer == "s2":  # coefficient * (the 2x2 window's sum) + bias
        assert working["z"] == pytest.approx(working["coefficient"] * working["sum"] + working["bias"])
        assert answer["input_window"] == {"rows": [14, 19], "cols": [4, 9]}  # 6x6: the engine's receptive field


def test_the_windows_on_the_input_are_the_engines_receptive_fields(lenet1998_server):
    with urllib.request.urlopen(lenet1998_server + "api/model", timeout=30) as response:
        layers = {layer["name"]: layer for layer in json.loads(response.read())["layers"]}
    for name, (row, col) in {"c1": (0, 0), "s2": (3, 5), "c3": (2, 7), "s4": (4, 4), "c5": (0, 0)}.items():
        _, answer = post(
            lenet1998_server + "api/unit", {"test_digit": 0, "layer": name, "map": 0, "row": row, "col": col}
        )
        window = answer["input_window"]
        size = [window["rows"][1] - window["rows"][0] + 1, window["cols"][1] - window["cols"][0] + 1]
        assert size == layers[name]["receptive_field"], name


# --- the model loads in the background: the page meanwhile, and once it is ready or has failed -------------


@pytest.fixture
def loading(run_dir):
    """The session's LeNet-5 served as the command serves it, in this process, before its model has loaded: the
    test decides when the model is ready (``App.ready``) or has failed (``App.failed``)."""
    from convzoo.templates import render
    from convzoo.zoo import explore as server
    from convzoo.zoo.keras import mnist, model_file

    path = run_dir / "model.keras"
    zoo = model_file.zoo_model(path, model_file.read_config(path), model_file.read_run(path))
    test_set, note = mnist.find_test_set(str(MNIST), None)
    description = server.describe(zoo, len(test_set.x_test), note)
    app = server.App(description, render("explore.html.j2", model=description))
    with serving(app) as url:
        yield app, zoo, test_set, url


@pytest.fixture
def opened(browser):
    """A page of its own, which must raise no script error."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert errors == []


def test_the_page_says_the_model_is_loading_and_works_once_it_is_ready(loading, opened):
    from convzoo.zoo import explore as server
    from convzoo.zoo.keras import explore

    app, zoo, test_set, url = loading
    opened.goto(url)
    expect(opened.locator("body")).to_have_attribute("data-model", "loading")
    expect(opened.locator("#status")).to_have_text(re.compile("^Loading the model"))
    expect(opened.locator("#load")).to_be_disabled()
    draw_seven(opened)  # drawn while the model loads: read once it is ready
    assert post(url + "api/analyze", {"test_digit": 0}) == (503, {"error": server.LOADING, "loading": True})
    assert post(url + "api/analyze", {"test_digit": -1})[0] == 400  # a bad request is told so meanwhile too
    assert opened.locator("#top li[data-class]").count() == 0

    app.ready(explore.Explorer(explore.open_model(zoo, test_set)))
    expect(opened.locator("body")).to_have_attribute("data-model", "ready")
    settled(opened)
    assert top_class(opened)[0] == 7
    expect(opened.locator("#load")).to_be_enabled()
    opened.click("#load")
    expect(opened.locator("#source")).to_have_text(re.compile("^MNIST test digit 0, labelled 7"))


def test_the_page_says_why_the_model_could_not_be_loaded(loading, opened):
    app, _, _, url = loading
    opened.goto(url)
    expect(opened.locator("body")).to_have_attribute("data-model", "loading")
    reason = "runs/l5/model.keras: not a Keras model file (OSError)"
    app.failed(reason)
    expect(opened.locator("body")).to_have_attribute("data-model", "failed")
    expect(opened.locator("#status.error")).to_have_text(reason)
    expect(opened.locator("#load")).to_be_disabled()
    assert post(url + "api/analyze", {"test_digit": 0}) == (503, {"error": reason})


# The command with TensorFlow's start held where it has pointed descriptor 2 at /dev/null (zoo.keras.backend), until
# the test writes a line: which heavy modules were imported before, then the real command.
HELD = """
import os, sys
from contextlib import contextmanager
from convzoo import cli
from convzoo.zoo.keras import backend

quiet = backend._quiet_stderr

@contextmanager
def held():
    with quiet():
        print("loading; imported before:", sorted({m.split(".")[0] for m in sys.modules} & {"tensorflow", "keras"}),
              flush=True)
        os.read(0, 1)  # not sys.stdin: a daemon thread inside its buffer would stop Python's exit
        yield

backend._quiet_stderr = held
sys.exit(cli.main(sys.argv[1:]))
"""


def test_the_page_is_served_while_tensorflow_starts_and_ctrl_c_ends_it_cleanly(run_dir):
    from convzoo.zoo import explore as server

    process = subprocess.Popen(
        [sys.executable, "-c", HELD, "explore", str(run_dir), "--no-browser"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline()).group()
        # TensorFlow is imported in the background loader alone, and only after the page is served
        assert process.stdout.readline() == "loading; imported before: []\n"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert "Loading the model" in response.read().decode()
        assert post(url + "api/analyze", {"test_digit": 0}) == (503, {"error": server.LOADING, "loading": True})
        with urllib.request.urlopen(url + "api/model", timeout=30) as response:
            assert json.loads(response.read())["name"] == "lenet5"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
    # said on the terminal, though descriptor 2 is /dev/null while TensorFlow starts
    assert process.stderr.read() == "convzoo explore: stopped\n"
    assert process.stdout.read() == ""


def test_a_model_that_fails_to_load_is_said_in_one_line_after_the_page_was_served(run_dir, tmp_path):
    broken = tmp_path / "model.keras"
    with zipfile.ZipFile(run_dir / "model.keras") as source, zipfile.ZipFile(broken, "w") as copy:
        for name in source.namelist():
            data = source.read(name)
            if name == "model.weights.h5":  # HDF5's signature, then zeros: only loading it tells
                data = data[:8] + bytes(len(data) - 8)
            copy.writestr(name, data)
    done = explore(str(broken))
    assert done.returncode == 2
    assert done.stdout.endswith("(Ctrl-C stops); loading the model\n")  # served, and said so, before it failed
    assert re.fullmatch(f"convzoo: error: {re.escape(str(broken))}: not a Keras model file \\(\\w+\\)\n", done.stderr)


# --- the command's refusals: one line, exit 2, before any server starts -------------------------------------


def explore(*args: str, timeout: int = 120):
    return subprocess.run(
        [sys.executable, "-m", "convzoo", "explore", *args, "--no-browser"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def bad_model_files(folder: Path, good: Path) -> list[tuple[Path, str]]:
    """Files that are not a zoo model in ways its config.json tells, made from ``good`` (the session's LeNet-5),
    each with what its refusal says."""
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    s2 = next(layer for layer in config["config"]["layers"] if layer["name"] == "s2")
    s2["inbound_nodes"][0]["args"][0]["config"]["shape"] = [None, 28, 28, 8]  # c1 with 8 maps, not 6
    made = {
        "notes.keras": b"not a model",  # a text file renamed
        "half.keras": good.read_bytes()[: good.stat().st_size // 2],  # a copy cut short
        "no_config.keras": {k: v for k, v in members.items() if k != "config.json"},
        "no_weights.keras": {k: v for k, v in members.items() if k != "model.weights.h5"},
        "text_weights.keras": {**members, "model.weights.h5": b"weights"},
        "bad_json.keras": {**members, "config.json": b'{"config": '},
        "list.keras": {**members, "config.json": b"[1, 2]"},
        "wider_c1.keras": {**members, "config.json": json.dumps(config).encode()},
    }
    for name, content in made.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
            continue
        with zipfile.ZipFile(folder / name, "w") as archive:
            for member, data in content.items():
                archive.writestr(member, data)
    return [
        (folder / name, f"{name}: {says}")
        for name, says in [
            ("notes.keras", "not a Keras model file (not a .keras archive)"),
            ("half.keras", "not a Keras model file (not a .keras archive)"),
            ("no_config.keras", "not a Keras model file (no config.json in the archive)"),
            ("no_weights.keras", "not a Keras model file (no model.weights.h5 in the archive"),
            ("text_weights.keras", "not a Keras model file (its model.weights.h5 is not an HDF5 file)"),
            ("bad_json.keras", "not a Keras model file (its config.json is not JSON)"),
            ("list.keras", "not a Keras model file (its config.json describes no model)"),
            ("wider_c1.keras", "not a model convzoo trained (its layer c1 is not lenet5's)"),
        ]
    ]


def test_refusals_of_what_is_not_a_convzoo_model(run_dir, tmp_path, monkeypatch):
    from convzoo.zoo import explore as server
    from convzoo.zoo.keras.backend import load_keras

    def served(*args):  # the command runs in this process: one that let a model through would serve for ever
        raise AssertionError("explore served what it should have refused")

    monkeypatch.setattr(server, "serve", served)

    keras = load_keras()
    (tmp_path / "empty").mkdir()
    inputs = keras.Input((4,))
    keras.Model(inputs, keras.layers.Dense(2)(inputs), name="my_net").save(tmp_path / "other.keras")
    for args, says in [
        ((str(tmp_path / "missing"),), "missing: no such file or folder"),
        ((str(tmp_path / "empty"),), "empty: no model.keras in this folder"),
        ((str(tmp_path / "other.keras"),), "other.keras: not a model convzoo trained"),
        ((str(run_dir), "--data", str(tmp_path / "notes.keras")), "notes.keras: not an .npz archive"),
        *(((str(path),), says) for path, says in bad_model_files(tmp_path, run_dir / "model.keras")),
    ]:
        done = convzoo_here("explore", *args, "--no-browser")
        assert done.returncode == 2 and done.stdout == "", (args, done.stderr)
        assert done.stderr.count("\n") == 1 and says in done.stderr, done.stderr


def test_a_bad_model_file_is_refused_before_tensorflow_starts(run_dir, tmp_path):
    """The refusals that the file itself decides come before TensorFlow is imported: in a process of their own."""
    refused = bad_model_files(tmp_path, run_dir / "model.keras")
    code = (
        "import sys\n"
        "from convzoo import cli\n"
        "statuses = [cli.main(['explore', path, '--no-browser']) for path in sys.argv[1:]]\n"
        "print(statuses, sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *(str(path) for path, _ in refused)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout == f"{[2] * len(refused)} []\n", done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == len(refused) and all(says in line for line, (_, says) in zip(lines, refused)), lines


def test_a_port_in_use_is_refused(run_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = explore(str(run_dir), "--port", str(port))
    assert done.returncode == 2
    assert done.stderr == (
        f"convzoo: error: --port {port}: already in use on 127.0.0.1; choose another port, or "
        "leave --port out for a free one\n"
    )
