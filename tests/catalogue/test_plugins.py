"""Catalogue: a plug-in's results name the plug-in release that produced them (newcomer list)."""

from __future__ import annotations

import json


def test_plugin_extractor__distribution_and_version_in_the_signature(project, cli, faulty):
    code, _, _ = cli(
        "evaluate", "--gold", "annotations", "--out", str(project / "out"), "--no-progress",
        "--resamples", "20", "--similarity", "none", "--extractors", "first-sentence",
    )  # fmt: skip
    assert code == 0
    board = json.loads((project / "out" / "leaderboard.json").read_text(encoding="utf-8"))
    text = json.dumps(board["signature"])
    assert '"distribution": "catalogue-faults 0.1"' in text
    run = json.loads(
        (project / "out" / "systems" / "first-sentence" / "run.json").read_text(encoding="utf-8")
    )
    assert "catalogue-faults 0.1" in json.dumps(run["signature"])
