"""The results chart: per-document bars for small corpora, aggregated for large ones."""

from __future__ import annotations

from harness.gold.corpus import load_corpus
from tests.conftest import MINI


def test_the_chart_aggregates_past_a_few_dozen_documents(tmp_path):
    """A per-document bar chart stops being readable (and took minutes at 10,000 documents)."""
    from dataclasses import replace

    from harness.reporting import chart
    from harness.reporting.results_tables import SystemRun
    from harness.scoring import metrics as M

    mini = load_corpus(MINI / "annotations")
    base = mini.documents[0]
    docs = tuple(replace(base, doc_id=f"d{i:03d}") for i in range(chart.PER_DOCUMENT_LIMIT + 10))
    corpus = replace(mini, documents=docs)
    counts = dict.fromkeys(M.CLAIM_COUNTS, 1)
    block = M.claim_block(counts)
    outlets = {f"outlet {k}": {**block, "documents": [f"d{k:03d}"]} for k in range(20)}
    summary = {"per_document": {d.doc_id: block for d in docs}, "per_outlet": outlets}
    runs = [SystemRun("a", "ok", summary=summary), SystemRun("b", "ok", summary=summary)]
    path = chart.write_chart(runs, corpus, tmp_path / "chart.png")
    assert path is not None and path.stat().st_size > 0
    fig = chart._aggregate_figure(runs, len(docs), __import__("matplotlib.figure").figure.Figure)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(labels) == chart.MAX_OUTLETS + 1 and labels[-1] == "5 other outlets"
