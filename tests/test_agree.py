"""``harness agree`` on two hand-made files of one small article, with every figure worked by hand.

The fixture (tests/fixtures/agree): seeds/x.txt has 8 sentences (harness.text.sentence_spans):

  s0 "Harbour bridge to close for repairs"            s4 "The bridge opened in 1962."
  s1 "12 Mar, 2024 09:15"                             s5 "Mayor Ana Ruiz said the closure was ..."
  s2 "The city council said on Monday that ..."       s6 "Local shops fear a drop in sales."
  s3 "Repairs will cost 4 million euros and ..."      s7 "Ferries will run every 20 minutes ..."

A (annotations/a.yaml) and B (annotations/b.yaml) have 6 claims and 5 timexes each:

  claim  A evidence                         B evidence                                same?
  c1     headline s0                        headline s0                               same span
  c2     "the harbour bridge ... April"     "The city council said ... April" (s2)    B longer
  c3     "Repairs will cost 4 million"      "will be paid by the port authority"      same s3, disjoint
  c4     "The bridge opened in 1962" (s4)   "Local shops fear a drop in sales" (s6)   different
  c5     "the closure was unavoidable"      "the closure was unavoidable"             same span
  c6     s7 "Ferries ... the closure"       s7 "Ferries ... the closure"              same span
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from harness.annotate.agree import AgreementError, agree, format_agreement, kappa

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "agree"
ANN = FIXTURE / "annotations"
A, B = ANN / "a.yaml", ANN / "b.yaml"


@pytest.fixture(scope="module")
def result() -> dict:
    return agree(A, B, ANN)


def test_claim_f1_in_each_matching_mode(result: dict) -> None:
    c = result["claims"]
    # span (token F1 >= 0.5): c1, c5, c6 identical spans (F1 1); c2: A's 10 tokens inside B's 17,
    # F1 = 2*10/(10+17) = 0.74; c3 disjoint (0); c4 different sentences (0). 4 matched of 6 and 6:
    # P = R = F1 = 4/6.
    assert (c["span"]["n_a"], c["span"]["n_b"], c["span"]["matched"]) == (6, 6, 4)
    assert c["span"]["f1"] == pytest.approx(4 / 6, abs=1e-6)
    # sentence (Jaccard of touched sentences >= 0.5): c3 now matches (both in s3, Jaccard 1); c4 is
    # s4 against s6 (0). 5 matched: F1 = 5/6.
    assert c["sentence"]["matched"] == 5
    assert c["sentence"]["f1"] == pytest.approx(5 / 6, abs=1e-6)
    # text (TF-IDF cosine >= 0.5): c1, c2, c6 have identical texts (cosine 1); c3, c4, c5 share no
    # content word with their partner (cosine 0: "The closure is unavoidable." vs "Shutting it
    # down cannot be avoided."). A.c1~B.c2 and A.c2~B.c1 are 0.79, but 1 + 1 > 0.79 + 0.79, so
    # the assignment keeps c1-c1 and c2-c2. 3 matched: F1 = 3/6.
    assert c["text"]["matched"] == 3
    assert c["text"]["f1"] == pytest.approx(0.5)


def test_claim_f1_is_symmetric_in_the_two_files(result: dict) -> None:
    swapped = agree(B, A, ANN)
    for mode in ("span", "sentence", "text"):
        assert swapped["claims"][mode]["f1"] == result["claims"][mode]["f1"]
    assert swapped["timexes"]["relaxed_f1"] == result["timexes"]["relaxed_f1"]
    assert swapped["kappa"]["sentence_has_claim"] == result["kappa"]["sentence_has_claim"]


def test_timex_span_value_and_type_agreement(result: dict) -> None:
    t = result["timexes"]
    # A: stamp TIME 2024-03-12T09:15, Monday 2024-03-11, "two weeks" P2W, April 2024-04, 1962.
    # B: stamp DATE 2024-03-12, Monday 2024-03-04, "for two weeks" P2W, April 2024-04,
    #    "every 20 minutes" SET PT20M.
    # strict: stamp, Monday, April have the same extent on both sides: P = R = 3/5, F1 = 0.6.
    assert (t["strict_precision"], t["strict_recall"], t["strict_f1"]) == (0.6, 0.6, 0.6)
    # relaxed: "two weeks" overlaps "for two weeks" too; 1962 and "every 20 minutes" overlap
    # nothing: P = R = 4/5, F1 = 0.8.
    assert t["relaxed_f1"] == pytest.approx(0.8)
    # values over the 4 relaxed pairs: stamp differs (minute vs day), Monday differs, P2W and
    # 2024-04 agree: 2/4. Types: stamp TIME vs DATE differs, the other three agree: 3/4.
    assert (t["value_correct"], t["relaxed_gold"], t["value_accuracy"]) == (2, 4, 0.5)
    assert t["type_accuracy"] == 0.75


def test_dct_agreement(result: dict) -> None:
    assert result["dct"] == {
        "a": "2024-03-12T09:15",
        "b": "2024-03-12",
        "equal": False,
        "overlap": True,
    }


def test_claimant_and_date_agreement_on_span_matched_claims(result: dict) -> None:
    m = result["matched_claims"]
    # span pairs: c1-c1, c2-c2, c5-c5, c6-c6. Claimants agree except c5 ("Mayor Ana Ruiz" vs
    # <AUTHOR>, which only agrees with itself): 3/4.
    assert m["n"] == 4
    assert m["claimant"] == {"agree": 3, "n": 4, "accuracy": 0.75}
    # dates: c1 2024-04 vs none, c2 2024-04 (t4) vs 2024-04 (t4), c5 none vs 2024-03-11,
    # c6 2024-04 vs 2024-04-01/2024-04-14 (overlaps, not equal). Both dated: c2, c6 -> strict 1/2,
    # relaxed 2/2; no pair is undated on both sides, so over all 4 pairs: strict 1/4, relaxed 2/4.
    d = m["date"]
    assert (d["both_dated"], d["both_undated"], d["one_dated"]) == (2, 0, 2)
    assert (d["accuracy_strict"], d["accuracy_relaxed"]) == (0.5, 1.0)
    assert (d["agreement_strict"], d["agreement_relaxed"]) == (0.25, 0.5)


def test_cohens_kappa_on_each_categorical_decision(result: dict) -> None:
    k = result["kappa"]
    # timex type, 4 relaxed pairs: A [TIME, DATE, DURATION, DATE], B [DATE, DATE, DURATION, DATE].
    # p_o = 3/4; p_e = DATE 2/4*3/4 + DURATION 1/4*1/4 + TIME 1/4*0 = 7/16;
    # kappa = (12/16 - 7/16) / (9/16) = 5/9.
    assert k["timex_type"]["n"] == 4
    assert k["timex_type"]["kappa"] == pytest.approx(5 / 9, abs=1e-6)
    assert k["timex_type"]["confusion"] == [[2, 0, 0], [0, 1, 0], [1, 0, 0]]  # rows A, cols B
    # claimant is <AUTHOR>, pairs c1 c2 c5 c6: A [y, n, n, y], B [y, n, y, y]. p_o = 3/4;
    # p_e = yes 2/4*3/4 + no 2/4*1/4 = 1/2; kappa = (3/4 - 1/2) / (1/2) = 1/2.
    assert k["claimant_is_author"]["kappa"] == pytest.approx(0.5)
    # claim has a date: A [y, y, n, y], B [n, y, y, y]. p_o = 2/4; p_e = yes 3/4*3/4 + no
    # 1/4*1/4 = 10/16; kappa = (8/16 - 10/16) / (6/16) = -1/3.
    assert k["claim_has_date"]["kappa"] == pytest.approx(-1 / 3, abs=1e-6)
    # sentence contains a claim, s0..s7: A [y, n, y, y, y, y, n, y], B [y, n, y, y, n, y, y, y]
    # (they differ on s4 and s6). p_o = 6/8; p_e = yes 6/8*6/8 + no 2/8*2/8 = 40/64;
    # kappa = (48/64 - 40/64) / (24/64) = 1/3.
    assert k["sentence_has_claim"]["n"] == 8
    assert k["sentence_has_claim"]["observed_agreement"] == 0.75
    assert k["sentence_has_claim"]["kappa"] == pytest.approx(1 / 3, abs=1e-6)


def test_disagreements_are_listed_for_adjudication(result: dict) -> None:
    d = result["disagreements"]
    assert [c["id"] for c in d["claims_only_in_a"]] == ["c3", "c4"]
    assert [c["evidence"] for c in d["claims_only_in_b"]] == [
        "will be paid by the port authority",
        "Local shops fear a drop in sales",
    ]
    assert [(x["a"], x["b_value"]) for x in d["claimant"]] == [("c5", "<AUTHOR>")]
    assert [x["a"] for x in d["claim_date"]] == ["c1", "c5", "c6"]
    assert [t["quote"] for t in d["timexes_only_in_a"]] == ["1962"]
    assert [t["quote"] for t in d["timexes_only_in_b"]] == ["every 20 minutes"]
    assert [(x["a_quote"], x["b_quote"]) for x in d["timex_extent"]] == [
        ("two weeks", "for two weeks")
    ]
    assert [x["a"] for x in d["timex_value"]] == ["t1", "t2"]
    assert d["dct"] == [{"a": "2024-03-12T09:15", "b": "2024-03-12"}]


def test_a_file_agrees_perfectly_with_itself() -> None:
    r = agree(A, A, ANN)
    assert {m: r["claims"][m]["f1"] for m in r["claims"]} == {
        "span": 1.0,
        "sentence": 1.0,
        "text": 1.0,
    }
    assert r["timexes"]["strict_f1"] == 1.0 and r["timexes"]["value_accuracy"] == 1.0
    assert all(k["kappa"] == 1.0 for k in r["kappa"].values())
    assert not any(r["disagreements"].values())


def test_kappa_is_undefined_for_one_category_or_no_items() -> None:
    one = kappa(["DATE"] * 3, ["DATE"] * 3, "pairs")
    assert (
        one["kappa"] is None and "undefined" in one["reason"] and one["observed_agreement"] == 1.0
    )
    empty = kappa([], [], "pairs")
    assert empty["kappa"] is None and empty["reason"] == "no items (pairs)"
    # one annotator uses two categories: kappa is defined (here 0: no agreement beyond chance)
    assert kappa([True, True], [True, False], "pairs")["kappa"] == 0.0


def test_report_is_a_readable_table(result: dict) -> None:
    text = format_agreement(result)
    assert "| span | >= 0.5 | 6 | 6 | 4 | 0.667 | 0.667 | 0.667 |" in text
    assert "| text | >= 0.5 | 6 | 6 | 3 | 0.500 | 0.500 | 0.500 |" in text
    assert "| strict span | 0.600 | 0.600 | 0.600 |" in text
    assert "| claim_has_date | claims matched in span mode | 4 | 0.500 | -0.333 |" in text
    assert "A c5 / B c5: 'Mayor Ana Ruiz' vs '<AUTHOR>'" in text
    assert json.loads(json.dumps(result)) == result  # --json prints the same dict


def test_agreement_refuses_files_of_different_articles(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "p")
    seeds, ann = tmp_path / "p" / "seeds", tmp_path / "p" / "annotations"
    (seeds / "y.txt").write_text("Another text.\n", encoding="utf-8")
    other = ann / "y.yaml"
    other.write_text(
        B.read_text(encoding="utf-8")
        .replace("source: seeds/x.txt", "source: seeds/y.txt")
        .replace("id: x", "id: y"),
        encoding="utf-8",
    )
    with pytest.raises(AgreementError) as err:
        agree(ann / "a.yaml", other, ann)
    # y.yaml does not even validate against its seed (sha256, quotes): refused for that first
    assert "file B" in str(err.value) and "does not validate" in str(err.value)
    digest = hashlib.sha256((seeds / "y.txt").read_bytes()).hexdigest()
    other.write_text(
        f"id: y\nsource: seeds/y.txt\nsha256: {digest}\noutlet: null\nbyline: null\n"
        "language: en\nannotator: B\nannotated: '2026-11-22'\nguidelines: '1.0'\n"
        "published: {value: '2024-03-12', evidence: 'e'}\ntimexes: []\nclaims: []\n",
        encoding="utf-8",
    )
    with pytest.raises(AgreementError, match=r"annotate different texts.*seeds/y\.txt.*hint"):
        agree(ann / "a.yaml", other, ann)


def test_agreement_refuses_unconfirmed_suggestions(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "p")
    ann = tmp_path / "p" / "annotations"
    b = ann / "b.yaml"
    b.write_text(
        b.read_text(encoding="utf-8").replace('value: "P2W"', 'value: "P2W"\n    suggested: true'),
        encoding="utf-8",
    )
    with pytest.raises(AgreementError) as err:
        agree(ann / "a.yaml", b, ann)
    assert "t3.suggested: unconfirmed machine suggestion" in str(err.value)
    assert "harness validate" in str(err.value)


def test_claim_f1_is_undefined_when_neither_file_has_claims(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "p")
    ann = tmp_path / "p" / "annotations"
    a = ann / "a.yaml"
    text = a.read_text(encoding="utf-8")
    a.write_text(text[: text.index("claims:")] + "claims: []\n", encoding="utf-8")
    r = agree(a, a, ann)
    assert r["claims"]["span"] == {
        "n_a": 0,
        "n_b": 0,
        "matched": 0,
        "precision": None,
        "recall": None,
        "f1": None,
        "threshold": 0.5,
        "description": "token-level F1 between predicted span and gold evidence span",
    }
    assert r["kappa"]["claim_has_date"]["reason"] == "no items (claims matched in span mode)"
    assert "| span | >= 0.5 | 0 | 0 | 0 | n/a | n/a | n/a |" in format_agreement(r)
