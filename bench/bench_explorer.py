"""The explorer page: its size on disk and how soon its first frame is drawn after it opens from disk.

Builds the explorer (all surfaces) into a temporary folder, unless given one
that has it (``--folder gallery/build``), then opens ``explore.html`` in
headless Chromium (a fresh profile each time, so nothing is cached) and
reads ``window.explorer.firstFrameMs``: milliseconds from the start of the
page's navigation to the end of its first drawing (``performance.now()``).

Run: python bench/bench_explorer.py [--folder DIR] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from _timing import machine_line


def open_page(page: Path) -> float:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
    ):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(page.resolve().as_uri())
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                first = driver.execute_script("return window.explorer && window.explorer.firstFrameMs")
                if first is not None:
                    return float(first)
                time.sleep(0.02)
            raise RuntimeError("the first frame was never drawn")
        finally:
            driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder
        if folder is None or not (folder / "explore.html").is_file():
            from landscape.gallery._explore import build_explorer, formulas
            from landscape.gallery._formulas import typeset
            from landscape.gallery._page import INK

            folder = Path(scratch)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                build_explorer(folder, typeset(formulas(), folder, color=INK))
            print(f"built the explorer in {time.perf_counter() - start:.1f} s")
        files = [folder / "explore.html", *sorted((folder / "explore").iterdir())]
        size = sum(path.stat().st_size for path in files)
        largest = max(files[1:], key=lambda path: path.stat().st_size)
        print(
            f"explore.html and explore/: {size / 1e6:.2f} MB in {len(files)} files;"
            f" largest {largest.name}, {largest.stat().st_size / 1e3:.0f} kB"
        )
        times = [open_page(folder / "explore.html") for _ in range(args.repeats)]
        print(
            f"first frame after {statistics.median(times):.0f} ms (median of {len(times)} cold loads;"
            f" min {min(times):.0f}, max {max(times):.0f})"
        )


if __name__ == "__main__":
    main()
