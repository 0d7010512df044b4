"""Incremental builds: unchanged items are not rebuilt; changing one input rebuilds only its item."""

import json

from gallery_support import QUICK, SUBSET

from landscape.gallery import RECORD_NAME, build


def built_now(folder, manifest=None, **options):
    report = build(manifest, folder, only=SUBSET, jobs=2, **(QUICK | options))
    assert report.ok, report.failed
    return report


def modification_times(folder):
    return {path.name: path.stat().st_mtime_ns for path in (folder / "media").iterdir()}


def test_second_run_rebuilds_nothing(subset_copy, built_subset):
    before = modification_times(subset_copy)
    report = built_now(subset_copy)
    assert report.built == []
    assert sorted(report.up_to_date) == sorted(built_subset[1].built)
    assert modification_times(subset_copy) == before
    assert not (built_subset[0] / ".lock").exists() and not (subset_copy / ".lock").exists()  # no stale lock


def test_editing_a_scene_file_rebuilds_only_that_scene(subset_copy, scenes_copy):
    assert built_now(subset_copy).built == []  # the copied scenes have the same contents
    scene = scenes_copy / "05_bias_correction.py"
    scene.write_text(scene.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    before = modification_times(subset_copy)
    report = built_now(subset_copy)
    assert report.built == ["bias-correction"]
    after = modification_times(subset_copy)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == ["bias-correction.mp4", "bias-correction.poster.png"]


def test_changing_a_figure_in_the_manifest_rebuilds_only_that_figure(subset_copy, manifest_copy):
    text = manifest_copy.read_text(encoding="utf-8")
    old = 'config = { kind = "ewa", betas = [0.98] }'
    assert old in text
    text = text.replace(old, 'config = { kind = "ewa", betas = [0.98], unit = "C" }')
    manifest_copy.write_text(text, encoding="utf-8")
    report = built_now(subset_copy, manifest_copy)
    assert report.built == ["bias-correction-temperature"]
    record = json.loads((subset_copy / RECORD_NAME).read_text())
    entry = record["built"]["bias-correction-temperature"]
    command = "landscape reproduce media/bias-correction-temperature.json -o bias-correction-temperature.png"
    assert entry["command"] == command
    assert entry["parameters"]["unit"] == "C"


def test_a_new_frame_rate_rebuilds_the_scenes_only(subset_copy):
    report = build(None, subset_copy, only=["ewa"], jobs=2, **(QUICK | {"fps": 4}))
    assert report.built == ["ewa"]
    assert report.up_to_date == ["ewa-temperature"]


def test_force_rebuilds_the_selection(subset_copy):
    report = build(None, subset_copy, only=["ewa-temperature"], force=True, jobs=1, **QUICK)
    assert report.built == ["ewa-temperature"]
    assert report.up_to_date == []


def test_a_missing_file_is_rebuilt(subset_copy):
    (subset_copy / "media" / "ewa-temperature.json").unlink()
    report = built_now(subset_copy)
    assert report.built == ["ewa-temperature"]
    assert (subset_copy / "media" / "ewa-temperature.json").is_file()
