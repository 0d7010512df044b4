"""The built page in headless Chromium: every image has a size, every video plays, no console errors.

Chromium and its driver are Debian's (``make system`` installs them); the
page is opened from the file system, as a lecturer opens it.
"""

import io
import time

import numpy as np
import pytest
from gallery_support import HAS_CHROMIUM, chromium
from PIL import Image

TIMEOUT = 60  # seconds

pytestmark = pytest.mark.skipif(not HAS_CHROMIUM, reason="chromium and chromedriver are not installed")

# Waits for every video to reach HAVE_FUTURE_DATA (readyState 3) or fire canplay, playing it muted.
PLAY_VIDEOS = """
const done = arguments[arguments.length - 1];
const videos = Array.from(document.querySelectorAll("video"));
Promise.all(videos.map(v => new Promise(resolve => {
  const report = () => resolve({src: v.currentSrc, ready: v.readyState, error: v.error && v.error.code,
                                width: v.videoWidth, height: v.videoHeight, duration: v.duration});
  if (v.readyState >= 3) { report(); return; }
  v.addEventListener("canplay", report, {once: true});
  v.addEventListener("error", report, {once: true});
  v.muted = true;
  v.play().catch(() => {});
}))).then(states => { videos.forEach(v => v.pause()); done(states); });
"""

# Loads every poster as an image and reports its natural size.
POSTERS = """
const done = arguments[arguments.length - 1];
const videos = Array.from(document.querySelectorAll("video"));
Promise.all(videos.map(v => new Promise(resolve => {
  const image = new Image();
  image.onload = () => resolve({src: v.poster, width: image.naturalWidth, height: image.naturalHeight});
  image.onerror = () => resolve({src: v.poster, width: 0, height: 0});
  image.src = v.poster;
}))).then(done);
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"), "1280,900")
    driver.set_script_timeout(TIMEOUT)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(browser, built_subset):
    """The built subset's page, loaded."""
    folder, report = built_subset
    browser.get(report.page.resolve().as_uri())
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if browser.execute_script(
            "return document.readyState === 'complete' && Array.from(document.images).every(i => i.complete)"
        ):
            break
        time.sleep(0.1)
    return browser, folder


def test_every_image_has_a_natural_size(page):
    browser, _ = page
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.currentSrc, i.naturalWidth, i.naturalHeight])"
    )
    sources = [source for source, _, _ in images]
    assert sum("/media/" in s for s in sources) == 2  # the two figures of the subset
    assert sum("/formulas/" in s for s in sources) >= 20  # every topic's formulas, typeset
    for source, width, height in images:
        assert width > 0 and height > 0, source


def test_every_video_and_poster_loads(page):
    browser, _ = page
    videos = browser.execute_async_script(PLAY_VIDEOS)
    assert len(videos) == 2
    for video in videos:
        assert video["error"] is None, video
        assert video["ready"] >= 3, video
        assert (video["width"], video["height"]) == (768, 432), video
        assert video["duration"] > 1, video
    posters = browser.execute_async_script(POSTERS)
    assert [(p["width"], p["height"]) for p in posters] == [(768, 432)] * 2, posters


def test_no_console_errors(page):
    browser, _ = page
    browser.execute_async_script(PLAY_VIDEOS)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_screenshot_is_not_blank(page):
    browser, folder = page
    browser.execute_script("document.getElementById('ewa').scrollIntoView()")
    time.sleep(0.3)
    png = browser.get_screenshot_as_png()
    (folder.parent / "screenshot.png").write_bytes(png)  # kept with the build, to look at
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)
    assert pixels.shape[0] > 500 and pixels.shape[1] > 1000
    assert pixels.std() > 20  # text, formulas and a poster, not one flat colour
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 200
    background = np.array([0x10, 0x12, 0x16])
    assert np.mean(np.abs(pixels - background).sum(axis=2) > 30) > 0.15  # a good part is drawn on


def test_narrow_screen_needs_no_sideways_scrolling(page):
    browser, _ = page
    try:
        browser.set_window_size(420, 900)
        time.sleep(0.3)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        browser.set_window_size(1280, 900)
    assert overflow <= 0
