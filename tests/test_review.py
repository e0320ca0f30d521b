"""``harness review``: HTML pages of annotation files, parsed back with html.parser."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.annotate.review import ReviewError, render_review
from harness.gold.yamlio import load_yaml

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "agree"
TEXT = (FIXTURE / "seeds" / "x.txt").read_text(encoding="utf-8")

# A claim overlapping c2 ("the harbour bridge will close") and containing the timex t2 ("Monday").
OVERLAP_CLAIM = """\
  - id: c7
    text: "The city council said on 11 March 2024 that the bridge will close."
    evidence: "The city council said on Monday that the harbour bridge will close"
    claimant: "<AUTHOR>"
    date: {timex: t2}
    cluster: null
"""


class Page(HTMLParser):
    """Collects the article's text (labels left out), the segments, and the cards' texts."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, str]] = []
        self.article: list[str] = []
        self.segments: list[tuple[str, str, str]] = []  # (text, classes, data-ids)
        self.cards: dict[str, list[str]] = {}
        self.problem_list: list[str] = []
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.stack.append({"tag": tag, **a})
        if "card" in a.get("class", "").split():
            self.cards.setdefault(a["data-rid"], [])
        if tag == "section":
            self.sections.append(a.get("class", ""))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def _inside(self, cls: str) -> dict[str, str] | None:
        for el in reversed(self.stack):
            if cls in el.get("class", "").split():
                return el
        return None

    def handle_data(self, data: str) -> None:
        card = self._inside("card")
        if card is not None:
            self.cards[card["data-rid"]].append(data)
        if self._inside("problem-list") is not None:
            self.problem_list.append(data)
        if self._inside("article") is not None and self._inside("lab") is None:
            self.article.append(data)
            seg = self._inside("seg")
            if seg is not None:
                self.segments.append((data, seg["class"], seg["data-ids"]))


def _parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "annotations").mkdir()
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    return tmp_path


def _annotation(project: Path, extra_claims: str = "", replace: tuple[str, str] = ("", "")) -> Path:
    text = (FIXTURE / "annotations" / "a.yaml").read_text(encoding="utf-8")
    text = text.replace(*replace) if replace[0] else text
    path = project / "annotations" / "x.yaml"
    path.write_text(text + extra_claims, encoding="utf-8")
    return path


def test_review_page_shows_every_claim_and_timex_with_its_text(project: Path) -> None:
    path = _annotation(project)
    written = render_review(None, project / "out", project / "annotations")
    assert [p.name for p in written] == ["x.html", "index.html"]
    page = _parse(written[0])
    data = load_yaml(path)
    for c in data["claims"]:
        card = " ".join(page.cards[c["id"]])
        assert c["text"] in card and c["evidence"] in card and c["claimant"] in card
    for t in data["timexes"]:
        card = " ".join(page.cards[t["id"]])
        assert t["quote"] in card and t["type"] in card and t["value"] in card
    assert "2024-03-12T09:15" in " ".join(page.cards["published"])
    # c2 is dated by t4: the card shows the reference and the value it resolves to
    assert "t4 = 2024-04 (April)" in " ".join(page.cards["c2"])
    # The article is reproduced exactly, white space included, around the marks.
    assert "".join(page.article) == TEXT
    assert "No validation problems." in written[0].read_text(encoding="utf-8")


def test_review_page_renders_overlapping_spans_as_segments(project: Path) -> None:
    _annotation(project, OVERLAP_CLAIM)
    page = _parse(render_review(None, project / "out", project / "annotations")[0])
    assert "".join(page.article) == TEXT
    by_text = {text: (classes.split(), ids.split()) for text, classes, ids in page.segments}
    # c7 = claims[6] alone, then c7 with the timex t2 (timexes[1]), then c7 and c2 (claims[1]).
    assert by_text["The city council said on "] == (["seg", "has-claim", "depth-1"], ["rec-c-6"])
    classes, ids = by_text["Monday"]
    assert {"has-claim", "has-timex"} <= set(classes) and set(ids) == {"rec-t-1", "rec-c-6"}
    classes, ids = by_text["the harbour bridge will close"]
    assert "depth-2" in classes and set(ids) == {"rec-c-1", "rec-c-6"}
    classes, ids = by_text[" for "]
    assert "depth-1" in classes and ids == ["rec-c-1"]
    assert by_text["two weeks"][1] == ["rec-t-2", "rec-c-1"]


def test_review_page_of_a_file_with_problems_shows_them_in_place(project: Path) -> None:
    _annotation(project, replace=('quote: "Monday"', 'quote: "Mondya"'))
    written = render_review(None, project / "out", project / "annotations")
    page = _parse(written[0])
    problems = " ".join(page.problem_list)
    assert "t2.quote: quote not found" in problems
    assert "t2.quote: quote not found" in " ".join(page.cards["t2"])  # next to its record
    assert "unplaced" in page.sections  # t2 cannot be marked in the text: listed as unplaced
    assert "unplaced: the quote is not in the text" in " ".join(page.cards["t2"])
    # every other record still renders, and the text is still whole
    assert {"c1", "c2", "c3", "c4", "c5", "c6", "t1", "t3", "t4", "t5", "published"} <= set(
        page.cards
    )
    assert "".join(page.article) == TEXT
    assert "1 problem(s)" in (project / "out" / "index.html").read_text(encoding="utf-8")


def test_review_page_of_unparsable_yaml_lists_the_error(project: Path) -> None:
    (project / "annotations" / "x.yaml").write_text("id: x\nid: y\n", encoding="utf-8")
    page = _parse(render_review(None, project / "out", project / "annotations")[0])
    assert "duplicate key 'id'" in " ".join(page.problem_list)


def test_review_pages_are_deterministic_and_self_contained(project: Path) -> None:
    _annotation(project, OVERLAP_CLAIM)
    first = [p.read_bytes() for p in render_review(None, project / "a", project / "annotations")]
    second = [p.read_bytes() for p in render_review(None, project / "b", project / "annotations")]
    assert first == second
    for html in first:
        for external in (b"http://", b"https://", b"<link", b"src="):
            assert external not in html


def test_review_refuses_a_missing_file_with_a_hint(project: Path) -> None:
    with pytest.raises(ReviewError, match=r"not found: .*nope\.yaml; hint"):
        render_review(
            [project / "annotations" / "nope.yaml"], project / "out", project / "annotations"
        )
    assert not (project / "out").exists()


def test_review_gives_files_with_the_same_name_distinct_pages(project: Path) -> None:
    first = _annotation(project)
    (project / "agreement").mkdir()
    second = project / "agreement" / "x.yaml"
    shutil.copy(FIXTURE / "annotations" / "b.yaml", second)
    written = render_review([first, second], project / "out", project / "annotations")
    assert [p.name for p in written] == ["x.html", "x--agreement.html", "index.html"]
    index = written[-1].read_text(encoding="utf-8")
    assert 'href="x.html"' in index and 'href="x--agreement.html"' in index
    assert "Local shops fear a drop in sales" in " ".join(_parse(written[1]).cards["c4"])


def test_review_pages_appear_together_or_not_at_all(project: Path, monkeypatch) -> None:
    """A page that cannot be rendered leaves the output directory as it was: no page written
    before it, no index, no temporary file."""
    from harness.annotate import review

    path = _annotation(project, OVERLAP_CLAIM)
    out = project / "out"
    out.mkdir()
    (out / "index.html").write_text("the previous index", encoding="utf-8")
    calls = []

    def fail_on_the_second(page, clusters):
        calls.append(page)
        if len(calls) == 2:
            raise RuntimeError("cannot render")
        return "<html></html>"

    monkeypatch.setattr(review, "_render_page", fail_on_the_second)
    pages = [path, path]  # two pages: x.html and x--annotations.html
    with pytest.raises(RuntimeError, match="cannot render"):
        render_review(pages, out, project / "annotations")
    assert len(calls) == 2
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous index"
