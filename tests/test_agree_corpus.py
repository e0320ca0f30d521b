"""Cluster agreement, evidence-extent differences and the corpus mode of ``harness agree``.

Every figure is worked by hand in the comments. The article files are those of test_agree.py
(tests/fixtures/agree): A = a.yaml, B = b.yaml, with span-matched pairs c1, c2, c5, c6.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.annotate.agree import AgreementError, agree, format_agreement, kappa
from harness.annotate.agree_clusters import bcubed, cluster_agreement, pairwise
from harness.annotate.agree_corpus import agree_corpus, format_corpus, pooled_kappa
from harness.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "agree"
ANN = FIXTURE / "annotations"
A, B = ANN / "a.yaml", ANN / "b.yaml"

# Five matched claims 0..4. A: {0, 1, 2} in x, {3} in y, 4 unlinked.
# B: {0, 1} in p, {2, 3} in q, 4 unlinked.
LA = ["x", "x", "x", "y", None]
LB = ["p", "p", "q", "q", None]


def test_pairwise_counts_links_shared_by_both_partitions() -> None:
    # A's links: 0-1, 0-2, 1-2 (3); B's: 0-1, 2-3 (2); common: 0-1 (1).
    # P = 1/2, R = 1/3, F1 = 2 * 1/6 / (5/6) = 0.4.
    assert pairwise(LA, LB) == {
        "links_a": 3,
        "links_b": 2,
        "common": 1,
        "precision": 0.5,
        "recall": pytest.approx(1 / 3, abs=1e-6),
        "f1": pytest.approx(0.4),
    }


def test_bcubed_averages_per_claim_precision_and_recall() -> None:
    # item: mates in A / in B / in both -> precision (both/B), recall (both/A)
    # 0: {0,1,2} / {0,1} / {0,1} -> 1, 2/3     1: same -> 1, 2/3
    # 2: {0,1,2} / {2,3} / {2}   -> 1/2, 1/3   3: {3} / {2,3} / {3} -> 1/2, 1
    # 4: {4} / {4} / {4}         -> 1, 1
    # P = 4/5, R = (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15, F1 = 2PR/(P+R) = 88/115.
    b3 = bcubed(LA, LB)
    assert b3["precision"] == 0.8
    assert b3["recall"] == pytest.approx(11 / 15, abs=1e-6)
    assert b3["f1"] == pytest.approx(88 / 115, abs=1e-6)


def test_unlinked_claims_are_singletons_never_linked_to_each_other() -> None:
    # two unlinked claims on both sides: no links at all (pairwise undefined), B-cubed perfect
    assert pairwise([None, None], [None, None])["f1"] is None
    assert bcubed([None, None], [None, None])["f1"] == 1.0
    # linking them in B only adds a link A lacks: pairwise P = 0/1; B-cubed P = 1/2 each
    assert pairwise([None, None], ["z", "z"])["precision"] == 0.0
    assert bcubed([None, None], ["z", "z"])["precision"] == 0.5


def test_partitions_are_compared_not_cluster_ids() -> None:
    renamed = [{"x": "u", "y": "v"}.get(x) for x in LA]
    same = cluster_agreement(list("abcde"), LA, renamed)
    assert same["pairwise"]["f1"] == 1.0 and same["bcubed"]["f1"] == 1.0
    assert same["items_differ"] == 0 and same["differences"] == []


def test_clusters_drawn_differently_are_listed_both_ways() -> None:
    c = cluster_agreement(["i0", "i1", "i2", "i3", "i4"], LA, LB)
    assert (c["linked_a"], c["linked_b"], c["clusters_a"], c["clusters_b"]) == (4, 4, 2, 2)
    # items 0-3 have different mates; 4 is unlinked on both sides
    assert c["items_differ"] == 4
    assert c["differences"] == [
        {"side": "A", "cluster": "x", "in_other": {"p": ["i0", "i1"], "q": ["i2"]}},
        {"side": "A", "cluster": "y", "in_other": {"q": ["i3"]}},
        {"side": "B", "cluster": "p", "in_other": {"x": ["i0", "i1"]}},
        {"side": "B", "cluster": "q", "in_other": {"x": ["i2"], "y": ["i3"]}},
    ]
    # a one-claim cluster is a singleton, like an unlinked claim: no difference
    assert cluster_agreement(["i0"], ["solo"], [None])["differences"] == []


def test_evidence_extent_differences_on_matched_claims() -> None:
    r = agree(A, B, ANN)
    # of the span pairs c1, c2, c5, c6 only c2 differs: A's 10 tokens inside B's 17,
    # token F1 = 2 * 10 / (10 + 17) = 20/27
    (item,) = r["disagreements"]["claim_extent"]
    assert (item["a"], item["b"], item["relation"]) == ("c2", "c2", "A inside B")
    assert item["token_f1"] == pytest.approx(20 / 27, abs=1e-6)
    assert item["b_evidence"].startswith("The city council said")
    # the fixture's claims are all unlinked: four singletons on both sides
    assert r["clusters"]["bcubed"]["f1"] == 1.0 and r["clusters"]["pairwise"]["f1"] is None
    assert r["disagreements"]["cluster"] == []
    text = format_agreement(r)
    assert "### evidence extent of matched claims (1)" in text
    assert "(A inside B, token F1 0.741)" in text
    assert "| B-cubed | 4 items | 1.000 | 1.000 | 1.000 |" in text


def test_pooled_kappa_equals_kappa_of_the_concatenated_labels() -> None:
    la1, lb1 = ["y", "n", "y", "y", "y", "y", "n", "y"], ["y", "n", "y", "y", "n", "y", "y", "y"]
    pooled = pooled_kappa([kappa(la1, lb1, "s"), kappa(la1, la1, "s")])
    # 16 items; A yes 12, B yes 12; agree 6 + 8 = 14. p_o = 7/8, p_e = (3/4)^2 + (1/4)^2 = 5/8,
    # kappa = (7/8 - 5/8) / (3/8) = 2/3
    assert pooled["n"] == 16 and pooled["observed_agreement"] == 0.875
    assert pooled["kappa"] == pytest.approx(2 / 3, abs=1e-6)
    assert pooled["kappa"] == kappa(la1 + la1, lb1 + la1, "s")["kappa"]
    assert pooled_kappa([kappa(["a"], ["a"], "s")])["kappa"] is None


def _dirs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two articles: p1 (A = a.yaml, B = b.yaml) and p2 (a.yaml on both sides)."""
    shutil.copytree(FIXTURE, tmp_path / "p")
    da, db = tmp_path / "p" / "A", tmp_path / "p" / "B"
    da.mkdir()
    db.mkdir()
    for d, first in ((da, A), (db, B)):
        shutil.copy(first, d / "p1.yaml")
        shutil.copy(A, d / "p2.yaml")
    (db / "clusters.yaml").write_text("clusters: {}\n", encoding="utf-8")  # not an article
    return da, db, tmp_path / "p" / "annotations"


def test_corpus_row_is_micro_over_the_articles(tmp_path: Path) -> None:
    da, db, ann = _dirs(tmp_path)
    m = agree_corpus(da, db, ann)["micro"]
    # claims, span: p1 4 of 6 and 6, p2 6 of 6 and 6 -> 10 / 12 on each side: F1 = 5/6
    assert (m["claims"]["span"]["matched"], m["claims"]["span"]["n_a"]) == (10, 12)
    assert m["claims"]["span"]["f1"] == pytest.approx(5 / 6, abs=1e-6)
    # timexes, strict: p1 3 of 5 and 5, p2 5 of 5 -> 8/10: F1 0.8 (not the mean of 0.6 and 1.0)
    assert m["timexes"]["strict_f1"] == pytest.approx(0.8)
    assert m["dct"] == {"equal": 1, "n": 2, "agreement": 0.5}
    # claimant: p1 3/4, p2 6/6 -> 9/10. Dates: p1 both dated 2 (strict 1), both undated 0;
    # p2 both dated 4 (c1 c2 c4 c6, strict 4), both undated 2 (c3 c5): 5/6; (5 + 2)/10
    assert m["matched_claims"]["claimant"] == {"agree": 9, "n": 10, "accuracy": 0.9}
    d = m["matched_claims"]["date"]
    assert (d["accuracy_strict"], d["agreement_strict"]) == (pytest.approx(5 / 6, abs=1e-6), 0.7)
    # sentence has claim: the pooled items of test_pooled_kappa...: 2/3
    assert m["kappa"]["sentence_has_claim"]["kappa"] == pytest.approx(2 / 3, abs=1e-6)
    # disagreements counted by kind: p1 only (p2 agrees with itself)
    assert m["disagreements"]["claim_extent"] == 1
    assert m["disagreements"]["claims_only_in_a"] == 2
    assert m["clusters"]["n"] == 10


def test_corpus_refuses_an_article_missing_on_one_side(tmp_path: Path) -> None:
    da, db, ann = _dirs(tmp_path)
    (db / "p2.yaml").unlink()
    with pytest.raises(AgreementError, match=r"only in .*A: \['p2.yaml'\].*hint"):
        agree_corpus(da, db, ann)


def test_cli_writes_every_report_and_prints_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    da, db, ann = _dirs(tmp_path)
    out = tmp_path / "reports"
    argv = ["agree", "--dir-a", str(da), "--dir-b", str(db), "--annotations", str(ann)]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| **micro (2 articles)** | 12 | 12 | 0.833 |" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "corpus.json",
        "corpus.md",
        "p1.json",
        "p1.md",
        "p2.json",
        "p2.md",
    ]
    corpus = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    assert corpus["micro"]["claims"]["span"]["matched"] == 10
    assert (out / "corpus.md").read_text(encoding="utf-8") == format_corpus(
        agree_corpus(da, db, ann)
    )
    assert main(["agree", str(A), "--dir-a", str(da)]) == 2
    assert "not a mix" in capsys.readouterr().err
