"""Settings and helpers shared by the gallery tests (a module name no other test folder uses)."""

import gc
import os
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Scenes at the lowest quality, 5 frames per second and a quarter of their run time, as in the scene tests.
QUICK = {"quality": "low", "fps": 5, "time_scale": 0.25}
QUICK_OPTIONS = ["-q", "low", "--fps", "5", "--time-scale", "0.25"]
# Two topics of the real manifest: two scenes and two figures.
SUBSET = ("ewa", "bias-correction")


def gallery_command(*arguments) -> list[str]:
    """``python -m landscape.cli gallery ARGUMENTS`` with the quick settings."""
    return [sys.executable, "-m", "landscape.cli", "gallery", *QUICK_OPTIONS, *arguments]


def subprocess_environment() -> dict:
    """The environment of a ``landscape`` subprocess that imports this checkout."""
    path = os.environ.get("PYTHONPATH", "")
    return os.environ | {"PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def crash_on_odd(task: int) -> dict:
    """A gallery pool task whose worker process dies on odd tasks (importable by the workers)."""
    if task % 2:
        os._exit(3)
    return {"ok": True}


def garbage_thresholds(task: int) -> dict:
    """A gallery pool task that reports its worker's garbage collection thresholds."""
    return {"ok": True, "thresholds": gc.get_threshold()}


def swallow_an_interrupt(task: int) -> dict:
    """A task that catches the SIGINT it receives and reports it as its own error, as Manim's
    encoder does with anything raised while it writes a segment."""
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)  # the worker's handler raises here
    except BaseException as error:  # noqa: BLE001 - the library's behaviour under test
        return {"ok": False, "error": f"could not write: {error!r}"}
    return {"ok": True}


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAS_CHROMIUM = bool(shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER))
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
)


def chromium(profile: Path, window_size: str):
    """Debian's headless Chromium under Selenium, offline, with a fresh profile and its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={window_size}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
