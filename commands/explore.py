"""``convzoo explore``: a local page where a trained model sees a digit you draw, layer by layer."""

from __future__ import annotations

import os
import sys
import threading

import click

from ..zoo.errors import ConvzooError


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
    import webbrowser

    from ..templates import render
    from ..zoo import explore as server
    from ..zoo.keras import backend, mnist, model_file

    # everything that can be refused is, in one line, before anything is served and before TensorFlow starts
    path = server.locate(model_path)
    run = model_file.read_run(path)
    zoo = model_file.zoo_model(path, model_file.read_config(path), run)
    test_set, note = mnist.find_test_set(data, run.get("data"))
    httpd = server.bind(port)  # a port in use too
    try:
        description = server.describe(zoo, len(test_set.x_test) if test_set is not None else 0, note)
        app = server.App(description, render("explore.html.j2", model=description))
        url = server.address(httpd)
        click.echo(f"convzoo explore: {zoo.name} from {path} at {url} (Ctrl-C stops); loading the model")
        # a desktop's browser only: on a bare terminal Python would start a text browser in its place
        if not no_browser and (
            sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            webbrowser.open(url)
        with backend.own_stderr():
            loader = threading.Thread(target=_load, args=(app, httpd, zoo, test_set), name="load-model", daemon=True)
            try:
                loader.start()
                server.serve(httpd, app)  # until Ctrl-C, or until the model fails to load (_load)
            except KeyboardInterrupt:
                click.echo(("\n" if sys.stderr.isatty() else "") + "convzoo explore: stopped", err=True)
                if loader.is_alive():
                    _end_while_loading()
                return
        # _load stopped the server and is about to end: a thread still running as Python exits can crash it
        loader.join()
        assert app.failure is not None
        raise ConvzooError(app.failure)  # one line and status 2, as every refusal
    finally:
        httpd.server_close()


def _end_while_loading() -> None:
    """Ctrl-C while the model loads: the loader may be inside TensorFlow's C++, which nothing can stop, and
    Python's exit would tear TensorFlow down under it (a crash, now and then, in place of status 0). The process
    ends at once instead, its output flushed, with the status that the root group gives a command that stopped."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _load(app, httpd, zoo, test_set) -> None:
    """The model, loaded while the page is served: TensorFlow starts here, in this thread alone (a daemon, so that
    Ctrl-C does not wait for it). A failure is the page's to show and the command's to end with."""
    try:
        from ..zoo.keras import explore as keras_side

        explorer = keras_side.Explorer(keras_side.open_model(zoo, test_set))
    except Exception as err:  # one line for the page and the terminal whatever stopped it, never a traceback
        reason = f"{zoo.path}: the model could not be loaded ({err.__class__.__name__}: {err})"
        app.failed(str(err) if isinstance(err, ConvzooError) else reason)
        httpd.shutdown()
        return
    app.ready(explorer)
    click.echo(f"convzoo explore: {zoo.name} is ready")
