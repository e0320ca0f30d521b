"""The fast paths of validation give the answers of the full checks they skip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.gold.records import corpus_hash
from harness.gold.schema import CLAIM_SCHEMA, DATE_SCHEMA, _check_schema, _conforms, _Reporter
from harness.gold.yamlio import LineDict

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, width=16),
    st.text(max_size=3),
    st.builds(LineDict),
    st.builds(dict),
    st.lists(st.integers(), max_size=2),
)
_KEYS = st.sampled_from([*CLAIM_SCHEMA, "bogus", "Text"])


_BASE = {"id": "c1", "text": "t", "evidence": "e", "claimant": "x", "date": None, "cluster": None}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=3), st.sets(st.sampled_from(sorted(_BASE))))
def test_records_that_conform_are_ones_the_full_check_passes(changes: dict, dropped: set) -> None:
    data = LineDict({k: v for k, v in _BASE.items() if k not in dropped} | changes)
    data.key_lines = {}
    rep = _Reporter("f.yaml")
    ok = _check_schema(rep, data, CLAIM_SCHEMA, "c1", "", 1)
    if _conforms(data, CLAIM_SCHEMA):
        assert ok and rep.problems == []
    rep = _Reporter("f.yaml")
    ok = _check_schema(rep, changes, DATE_SCHEMA, "c1", "date", 1)
    if _conforms(changes, DATE_SCHEMA):
        assert ok and rep.problems == []


def test_a_valid_record_takes_the_fast_path() -> None:
    assert _conforms(LineDict(_BASE), CLAIM_SCHEMA)
    assert not _conforms({k: v for k, v in _BASE.items() if k != "id"}, CLAIM_SCHEMA)


def test_a_boolean_where_an_integer_belongs_is_still_reported() -> None:
    rec = LineDict(
        id="c1", text="t", evidence="e", claimant="x", date=None, cluster=None, occurrence=True
    )
    rec.key_lines = {"occurrence": 7}
    assert not _conforms(rec, CLAIM_SCHEMA)
    rep = _Reporter("f.yaml")
    assert not _check_schema(rep, rec, CLAIM_SCHEMA, "c1", "", 1)
    assert [str(p) for p in rep.problems] == [
        "f.yaml:7: c1.occurrence: expected integer, got boolean True"
    ]


def test_corpus_hash_orders_files_by_their_path_under_the_root(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_bytes(b"A")
    (tmp_path / "b" / "c.txt").write_bytes(b"C")
    import hashlib

    want = hashlib.sha256(b"a.txt\0A\0b/c.txt\0C\0").hexdigest()
    paths = [tmp_path / "b" / "c.txt", tmp_path / "a.txt"]
    assert corpus_hash(paths, tmp_path) == want
    assert corpus_hash(list(reversed(paths)), tmp_path) == want


def test_the_resolver_gives_what_path_resolve_gives(tmp_path: Path, monkeypatch) -> None:
    """Each directory is resolved once, and a link, a ``..``, a missing file or a relative path
    still resolves as ``Path.resolve`` resolves it."""
    from harness.gold.records import Resolver

    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "f.txt").write_text("f")
    (real / "sub" / "g.txt").write_text("g")
    (tmp_path / "dirlink").symlink_to(real)
    (real / "link.txt").symlink_to(real / "sub" / "g.txt")
    (real / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    monkeypatch.chdir(real)
    paths = [
        real / "f.txt",
        tmp_path / "dirlink" / "f.txt",
        tmp_path / "dirlink" / "sub" / "g.txt",
        real / "link.txt",
        real / "dangling.txt",
        real / "missing.txt",
        real / "sub" / "..",
        tmp_path / "dirlink" / "sub" / ".." / "f.txt",
        Path("f.txt"),
        Path("sub/g.txt"),
        Path("."),
    ]
    resolve = Resolver()
    for _ in range(2):  # the second time from the directories it knows
        assert [resolve(p) for p in paths] == [p.resolve() for p in paths]
    assert resolve(real / "link.txt") == real / "sub" / "g.txt"
    assert resolve(tmp_path / "dirlink" / "f.txt") == real / "f.txt"


def _seed_outcome(root: Path, source: str, dirs: object) -> object:
    from harness.gold.seeds import SeedPathError, resolve_seed

    try:
        return resolve_seed(root, source, dirs)  # type: ignore[arg-type]
    except SeedPathError as exc:
        return exc.message, exc.hint


def test_a_kept_resolver_gives_what_a_full_resolution_gives(tmp_path: Path, monkeypatch) -> None:
    """With the seeds directory resolved once, every source resolves, or is refused with the same
    message, as without: links inside and out, a missing file, a directory, a subdirectory, a
    seeds directory that is itself a link inside the project, a relative root."""
    from harness.gold.records import Resolver

    root = tmp_path / "project"
    store = root / "data" / "texts"
    (store / "sub").mkdir(parents=True)
    (root / "seeds").symlink_to(store)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (store / "a.txt").write_text("a")
    (store / "sub" / "b.txt").write_text("b")
    (store / "alias.txt").symlink_to(store / "a.txt")
    (store / "out.txt").symlink_to(outside)
    (store / "gone.txt").symlink_to(store / "nothing.txt")
    (store / "dir").mkdir()
    sources = ["seeds/a.txt", "seeds/./a.txt", "seeds/sub/b.txt", "seeds/alias.txt",
               "seeds/out.txt", "seeds/gone.txt", "seeds/missing.txt", "seeds/dir",
               "seeds/a.txt\0", "../secret.txt", "data/texts/a.txt"]  # fmt: skip
    monkeypatch.chdir(tmp_path)
    for base in (root, Path("project")):
        dirs = Resolver()
        for _ in range(2):  # the second time from the directory it knows
            for source in sources:
                assert _seed_outcome(base, source, dirs) == _seed_outcome(base, source, None)
    assert _seed_outcome(root, "seeds/a.txt", Resolver()) == store / "a.txt"


def test_a_kept_resolver_never_leads_outside_when_seeds_moves_meanwhile(tmp_path: Path) -> None:
    """A seeds directory replaced by a link out of the project after it was resolved: a run that
    holds the resolution refuses its seeds, as a new one does."""
    from harness.gold.records import Resolver
    from harness.gold.seeds import SeedPathError, read_seed

    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "a.txt").write_text("inside")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.txt").write_text("outside")
    dirs = Resolver()
    assert read_seed(root, "seeds/a.txt", dirs) == b"inside"
    (root / "seeds").rename(root / "old")
    (root / "seeds").symlink_to(outside)
    for held in (dirs, Resolver()):
        with pytest.raises(SeedPathError, match="leads outside"):
            read_seed(root, "seeds/a.txt", held)


def test_a_plain_seed_is_resolved_without_walking_its_path_again(tmp_path: Path, monkeypatch):
    """A regular file right in seeds/ (not a link) resolves from the seeds directory's resolution
    and one ``lstat``: no ``realpath`` walk over its components and no ``stat`` of the file (the
    directories are still checked at every seed). A link and a file in a subdirectory are still
    resolved in full, and every answer is the full one."""
    import os.path

    from harness.gold.records import Resolver
    from harness.gold.seeds import resolve_seed

    root = tmp_path / "project"
    (root / "seeds" / "sub").mkdir(parents=True)
    (root / "seeds" / "a.txt").write_text("a")
    (root / "seeds" / "sub" / "b.txt").write_text("b")
    (root / "seeds" / "alias.txt").symlink_to(root / "seeds" / "a.txt")
    dirs = Resolver()
    want = resolve_seed(root, "seeds/a.txt", dirs)  # the directories resolved once
    assert want == (root / "seeds" / "a.txt").resolve()
    walks, stats = [], []
    real_walk, real_stat = os.path.realpath, os.stat
    monkeypatch.setattr(os.path, "realpath", lambda *a, **k: walks.append(a) or real_walk(*a, **k))
    monkeypatch.setattr(
        os, "stat", lambda *a, **k: stats.append(Path(a[0]).name) or real_stat(*a, **k)
    )
    assert resolve_seed(root, "seeds/a.txt", dirs) == want
    assert walks == [] and "a.txt" not in stats
    for source in ("seeds/alias.txt", "seeds/sub/b.txt"):
        full = (root / source).resolve(strict=True)
        walks.clear()
        assert resolve_seed(root, source, dirs) == full
        assert walks, source  # resolve_seed's own walk
