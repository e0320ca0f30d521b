"""The signature recorded with every result: what produced it, so that it can be reproduced.

In the spirit of sacreBLEU's signature and lm-eval's git hash: harness version, git commit and
dirty flag, gold corpus hash, package versions, Python, and the caller's settings (matching mode,
thresholds, bootstrap seed and resamples, DCT setting, extractor configuration). The timestamp is
the only field expected to change between two runs on the same inputs.
"""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Mapping
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from harness import __version__

PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "PyYAML",
    "yaml-rs",  # reads annotation files where it gives PyYAML's values (harness/gold/yamlfast.py)
    "dateparser",
    "datasets",
    "spacy",
    "wordllama",
)


def git_state(cwd: str | Path = ".") -> dict[str, Any]:
    """Commit hash and dirty flag of the working tree; nulls where git or the repo is missing."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10
        )
        if commit.returncode != 0:
            return {"commit": None, "dirty": None}
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!results"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def build_signature(corpus_hash: str, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The signature dict (stable key order) for one result file."""
    return {
        "harness_version": __version__,
        "git": git_state(),
        "corpus_hash": corpus_hash,
        **dict(settings or {}),
        "python": platform.python_version(),
        "packages": package_versions(),
        "timestamp": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }


def short(signature: Mapping[str, Any]) -> str:
    """One-line form for table headings: ``mode:span|t:0.5|tt:0.5|sim:tfidf|st:0.5|bs:1000|seed:12345|corpus:ab12cd|v:0.1.0``."""
    parts = [f"mode:{signature.get('mode')}", f"t:{signature.get('threshold')}"]
    if signature.get("mode") != "text":
        parts.append(f"tt:{signature.get('text_threshold')}")
    if signature.get("similarity"):
        parts.append(f"sim:{signature.get('similarity')}")
        parts.append(f"st:{signature.get('set_threshold')}")
    parts += [
        f"bs:{signature.get('bootstrap_resamples')}",
        f"seed:{signature.get('bootstrap_seed')}",
        f"corpus:{str(signature.get('corpus_hash', ''))[:10]}",
        f"v:{signature.get('harness_version')}",
    ]
    return "|".join(parts)
