"""The explorer page in headless Chromium: it draws the library's own trajectories, and follows the sliders.

Built for two of its surfaces (the data of the others is made the same way).
"""

import io
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from gallery_support import HAS_CHROMIUM, chromium
from PIL import Image

import landscape as ls
from landscape.gallery._explore import build_explorer, formulas
from landscape.gallery._explore_data import ENGINE, SEED, SURFACES, stored_window, window
from landscape.gallery._formulas import typeset
from landscape.gallery._page import INK

TIMEOUT = 30

browser_only = pytest.mark.skipif(not HAS_CHROMIUM, reason="chromium and chromedriver are not installed")


@pytest.fixture(scope="module")
def explorer(tmp_path_factory, made_once):
    """``(folder, page)`` of the explorer built for two surfaces, by one worker of ``pytest -n`` for all."""

    def build():
        folder = tmp_path_factory.mktemp("explorer")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ls.DivergenceWarning)  # the largest rates diverge on purpose
            page = build_explorer(folder, typeset(formulas(), folder, color=INK), surfaces=["bowl", "saddle"])
        return folder, page

    folder, page = made_once("explorer", lambda: list(map(str, build())), list, list)
    return Path(folder), Path(page)


@pytest.fixture(scope="module")
def browser(explorer, tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"), "1400,1000")
    driver.get(explorer[1].resolve().as_uri())
    wait(driver, "return window.explorer && window.explorer.ready")
    yield driver
    driver.quit()


def wait(driver, script, previous=None):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value and value != previous:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def library_path(drawn):
    """The library's trajectory for the grid point the page shows, as the page stores it."""
    surface = next(s for s in SURFACES if s.id == drawn["surface"])
    built = surface.build()
    params = dict(drawn["params"])
    sigma = params.pop("noise")
    run = ls.trace(
        built,
        ls.optim.get(drawn["optimizer"], **params),
        np.asarray(surface.start),
        steps=surface.steps,
        noise=ls.noise.gaussian(sigma),
        seed=SEED,
        record_every=drawn["steps"][1] - drawn["steps"][0],
        particle_ids=[drawn["particle"]],
        engine=ENGINE,
    )
    box = stored_window(window(surface, built))
    return np.clip(run.positions[:, 0], box[:, 0], box[:, 1]), box


def drawn_now(driver, previous=None):
    state = wait(driver, "return JSON.stringify(window.explorer.drawn())", previous)
    import json

    return json.loads(state), state


@browser_only
def test_the_page_loads_from_disk_with_no_errors_and_no_network(browser, explorer):
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    sources = browser.execute_script(
        "return Array.from(document.scripts).filter(s => s.src).map(s => s.src)"
        ".concat(Array.from(document.images).map(i => i.src))"
    )
    assert len(sources) >= 3 and all(source.startswith("file://") for source in sources), sources
    assert (
        "http" not in explorer[1].read_text()
        and "http" not in (explorer[0] / "explore" / "surfaces.js").read_text()
    )
    png = browser.get_screenshot_as_png()
    (explorer[0].parent / "explorer.png").write_bytes(png)  # kept, to look at
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)
    assert pixels.std() > 20


@browser_only
def test_moving_the_sliders_redraws_the_library_s_trajectory(browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "optimizer")).select_by_value("momentum")
    first, text = drawn_now(browser)
    while first["optimizer"] != "momentum":
        first, text = drawn_now(browser, text)
    for slider, expected in (("slider-lr", "lr"), ("slider-beta", "beta"), ("slider-noise", "noise")):
        browser.find_element("id", slider).send_keys(
            Keys.ARROW_LEFT if slider == "slider-beta" else Keys.ARROW_RIGHT
        )
        drawn, text = drawn_now(browser, text)
        assert drawn["params"][expected] != first["params"][expected]
        assert not np.allclose(drawn["data"], first["data"])  # the drawn path changed
        path, box = library_path(drawn)
        span = box[:, 1] - box[:, 0]
        np.testing.assert_allclose(drawn["data"], path, rtol=0, atol=float(span.max()) / 65535)
        # and it is drawn there: the page's pixels are the library's points mapped onto the canvas
        width, height = drawn["canvas"]["width"], drawn["canvas"]["height"]
        view = np.asarray(drawn["box"])
        expected_pixels = np.column_stack(
            [
                (path[:, 0] - view[0, 0]) / (view[0, 1] - view[0, 0]) * width,
                height - (path[:, 1] - view[1, 0]) / (view[1, 1] - view[1, 0]) * height,
            ]
        )
        np.testing.assert_allclose(drawn["pixels"], expected_pixels[: len(drawn["pixels"])], atol=0.05)
        first = drawn


@browser_only
def test_the_path_is_painted_in_the_optimizer_s_colour(browser):
    drawn, _ = drawn_now(browser)
    colour = np.array([int(ls.style.optimizer_color(drawn["optimizer"])[i : i + 2], 16) for i in (1, 3, 5)])
    # A canvas with an image from disk cannot be read back by the page: take the element's screenshot.
    shot = browser.find_element("id", "paths").screenshot_as_png
    image = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(float)
    ratio = image.shape[1] / drawn["canvas"]["width"]
    pixels = np.asarray(drawn["pixels"][1:-1]) * ratio
    close = [
        np.abs(image[int(y) - 1 : int(y) + 2, int(x) - 1 : int(x) + 2] - colour).sum(axis=-1).min() < 40
        for x, y in pixels[:: max(1, len(pixels) // 10)]
        if 1 <= x < image.shape[1] - 1 and 1 <= y < image.shape[0] - 1
    ]
    assert close and np.mean(close) > 0.7


ONE_FIGURE = """
[[topic]]
id = "averages"
title = "Averages"
summary = "One quick figure."

[[topic.figure]]
name = "ewa-one"
config = { kind = "ewa", betas = [0.9] }
"""


def test_a_whole_build_makes_the_explorer_and_links_it_and_a_selection_does_not(tmp_path, monkeypatch):
    from landscape.gallery import _explore_data, build

    monkeypatch.setattr(_explore_data, "SURFACES", [s for s in SURFACES if s.id in ("bowl", "saddle")])
    (tmp_path / "manifest.toml").write_text(ONE_FIGURE)
    selected = build(tmp_path / "manifest.toml", tmp_path / "selected", only=["ewa-one"], jobs=1)
    assert selected.ok and selected.explorer is None
    assert not (tmp_path / "selected" / "explore.html").exists()
    assert 'href="explore.html"' not in (tmp_path / "selected" / "index.html").read_text()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.DivergenceWarning)
        whole = build(tmp_path / "manifest.toml", tmp_path / "selected", jobs=1)
    assert whole.ok and whole.up_to_date == ["ewa-one"]
    assert whole.explorer == tmp_path / "selected" / "explore.html" and whole.explorer.is_file()
    assert 'href="explore.html"' in (tmp_path / "selected" / "index.html").read_text()
