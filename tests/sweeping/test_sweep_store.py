"""Resumable storage: an interrupted sweep resumes with nothing lost and nothing run twice."""

import json

import numpy as np
import pytest

import landscape as ls
from landscape.sweeping import remove_store, store_progress

ARGUMENTS = ("elongated_bowl:kappa=10", "momentum")
GRID = {"lr": [0.01, 0.05, 0.1, 0.2, 0.3], "beta": [0.0, 0.5, 0.9]}
SETTINGS = {"seeds": 2, "steps": 30, "noise": 0.1, "workers": 0}


class Stop(Exception):
    pass


def stop_after(count, seen):
    """A ``progress`` wrapper that records the chunks offered and stops the sweep after ``count``."""

    def wrap(finished):
        seen.append(len(finished))
        for i, item in enumerate(finished):
            if i == count:
                raise Stop
            yield item

    return wrap


def chunk_files(store):
    return {p.name: p.stat().st_mtime_ns for p in store.glob("chunk-*.npz")}


def test_an_interrupted_sweep_resumes_without_rerunning_finished_chunks(tmp_path):
    store = tmp_path / "store"
    seen = []
    with pytest.raises(Stop):
        ls.sweep(*ARGUMENTS, GRID, store=store, chunk_size=2, progress=stop_after(3, seen), **SETTINGS)
    first = chunk_files(store)
    assert seen == [8] and len(first) == 3
    manifest = json.loads((store / "manifest.json").read_text())
    assert manifest["done"] == 6 and manifest["configurations"] == 15

    # resumed with another chunk size: only the 9 missing configurations run
    resumed = ls.sweep(*ARGUMENTS, GRID, store=store, chunk_size=4, progress=stop_after(99, seen), **SETTINGS)
    assert seen == [8, 3]
    assert {name: chunk_files(store)[name] for name in first} == first  # untouched
    whole = ls.sweep(*ARGUMENTS, GRID, **SETTINGS)
    for name in whole.columns:
        np.testing.assert_array_equal(resumed.columns[name], whole.columns[name])
    ranges = sorted(
        (c["start"], c["stop"]) for c in json.loads((store / "manifest.json").read_text())["chunks"]
    )
    assert [i for start, stop in ranges for i in range(start, stop)] == list(range(15))

    # a finished store answers at once, without running anything
    again = ls.sweep(*ARGUMENTS, GRID, store=store, progress=stop_after(0, seen), **SETTINGS)
    assert seen == [8, 3] and again.columns.keys() == whole.columns.keys()


def test_chunk_files_are_the_truth_when_a_run_dies_between_two_writes(tmp_path):
    store = tmp_path / "store"
    with pytest.raises(Stop):
        ls.sweep(*ARGUMENTS, GRID, store=store, chunk_size=5, progress=stop_after(2, []), **SETTINGS)
    manifest = json.loads((store / "manifest.json").read_text())
    manifest["chunks"], manifest["done"] = (
        manifest["chunks"][:1],
        5,
    )  # as if killed before the last manifest write
    (store / "manifest.json").write_text(json.dumps(manifest))
    assert store_progress(store) == (10, 15)  # what a resumed run will find, not the manifest's 5
    (store / ".chunk-00000010-00000015.123.partial.npz").write_bytes(b"half a file")
    seen = []
    ls.sweep(*ARGUMENTS, GRID, store=store, chunk_size=5, progress=stop_after(99, seen), **SETTINGS)
    assert seen == [1]
    assert not list(store.glob(".*partial*"))
    assert store_progress(store) == (15, 15) and store_progress(tmp_path / "none") is None


def test_a_store_of_another_sweep_is_refused(tmp_path):
    store = tmp_path / "store"
    ls.sweep(*ARGUMENTS, GRID, store=store, **SETTINGS)
    with pytest.raises(ValueError, match="store=.* holds another one \\(different grid, optimizer, seeds\\)"):
        ls.sweep(*ARGUMENTS, {"lr": [0.1]}, store=store, **SETTINGS | {"seeds": 3})
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="store=.*file.* a folder"):
        ls.sweep(*ARGUMENTS, GRID, store=tmp_path / "file", **SETTINGS)
    stray = tmp_path / "stray"
    stray.mkdir()
    (stray / "chunk-00000000-00000002.npz").write_bytes(b"")
    with pytest.raises(ValueError, match="it has no manifest"):
        ls.sweep(*ARGUMENTS, GRID, store=stray, **SETTINGS)


def test_removing_a_store_deletes_only_its_own_files(tmp_path):
    store = tmp_path / "store"
    ls.sweep(*ARGUMENTS, GRID, store=store, chunk_size=4, **SETTINGS)
    remove_store(store)
    assert not store.exists()
    ls.sweep(*ARGUMENTS, GRID, store=store, **SETTINGS)
    (store / "notes.txt").write_text("mine")
    remove_store(store)
    assert [p.name for p in store.iterdir()] == ["notes.txt"]
