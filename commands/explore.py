"""``convzoo explore``: a local page where a trained model sees a digit you draw, layer by layer."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("model_path", metavar="RUN_DIR_OR_MODEL")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: a free port.")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
@click.option(
    "--data",
    metavar="PATH.npz",
    help="MNIST for 'load a test digit'; default: the run's --data, else keras' downloaded copy.",
)
def explore(model_path, port, no_browser, data):
    """Draw a digit and watch a trained model see it, layer by layer, with the lecture's arithmetic beside every
    layer: a page served on 127.0.0.1 only (Ctrl-C stops it)."""
    import os
    import webbrowser

    from ..zoo import explore as server

    model_file = server.locate(model_path)  # a wrong path: one line before TensorFlow starts
    httpd = server.bind(port)  # a port in use too; connections wait until the page is ready
    try:
        from ..templates import render
        from ..zoo.keras import explore as keras_side

        explorer = keras_side.Explorer(keras_side.open_model(model_file, keras_side.read_run(model_file), data))
        app = server.App(explorer, render("explore.html.j2", model=explorer.description()))
        url = server.address(httpd)
        click.echo(f"convzoo explore: {explorer.opened.name} from {model_file} at {url} (Ctrl-C stops)")
        # a desktop's browser only: on a bare terminal Python would start a text browser in its place
        if not no_browser and (
            sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            webbrowser.open(url)
        try:
            server.serve(httpd, app)
        except KeyboardInterrupt:
            click.echo(("\n" if sys.stderr.isatty() else "") + "convzoo explore: stopped", err=True)
    finally:
        httpd.server_close()
