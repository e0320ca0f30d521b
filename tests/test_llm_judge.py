"""The llm-judge similarity plugin: not run without an endpoint, cached, strict, validated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from baselines.llm_judge import JudgeError, LLMJudgeSimilarity, parse_verdict
from harness.scoring.validation import validate_against_gold
from tests.llm_fake import FakeServer, clear_llm_environment, running_server


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with running_server() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_ambient_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_llm_environment(monkeypatch)


def make(corpus, srv: FakeServer | None, cache: Path, **config) -> LLMJudgeSimilarity:
    base = {
        "base_url": srv.url if srv else None,
        "model": "judge-model",
        "cache_dir": str(cache),
        "timeout": 0.5,
        "retries": 0,
    }
    base.update(config)
    return LLMJudgeSimilarity(corpus, base, env={}, sleep=lambda s: None)


def test_without_an_endpoint_the_judge_is_not_run_and_says_how_to_enable_it():
    reason = LLMJudgeSimilarity.unavailable_reason({}, env={})
    assert reason.startswith("no endpoint configured (base URL and model missing)")
    assert "HARNESS_LLM_BASE_URL" in reason
    assert (
        LLMJudgeSimilarity.unavailable_reason({"base_url": "http://x/v1", "model": "m"}, env={})
        is None
    )


def test_verdicts_become_similarities_and_the_second_run_comes_from_the_cache(
    mini_corpus,
    server: FakeServer,
    tmp_path: Path,
):
    server.reply('{"same_fact": true}')
    server.reply('{"same_fact": false}')
    judge = make(mini_corpus, server, tmp_path)
    m = judge.text_matrix(["Analysts expect no deal."], ["Experts see no agreement.", "Rain."])
    assert m.tolist() == [[1.0, 0.0]]
    sent = server.requests[0]["body"]
    assert sent["model"] == "judge-model" and sent["temperature"] == 0
    assert "Reference claim: Analysts expect no deal." in sent["messages"][1]["content"]
    assert "Candidate claim: Experts see no agreement." in sent["messages"][1]["content"]
    again = make(mini_corpus, None, tmp_path, base_url=server.url)
    assert again.text_matrix(
        ["Analysts expect no deal."], ["Experts see no agreement.", "Rain."]
    ).tolist() == [[1.0, 0.0]]
    assert len(server.requests) == 2 and again.usage == {"requests": 2, "cache_hits": 2}


def test_the_cache_key_changes_with_the_model(mini_corpus, server: FakeServer, tmp_path: Path):
    server.reply('{"same_fact": true}')
    server.reply('{"same_fact": false}')
    a = make(mini_corpus, server, tmp_path).judge("A.", "B.")
    b = make(mini_corpus, server, tmp_path, model="other-model").judge("A.", "B.")
    assert (a, b) == (True, False) and len(server.requests) == 2


def test_an_invalid_answer_is_an_error_naming_the_cache_file_never_a_no_match(
    mini_corpus,
    server: FakeServer,
    tmp_path: Path,
):
    server.reply("Yes, they are the same.")
    with pytest.raises(JudgeError, match=r"invalid answer .* not JSON.*cached in"):
        make(mini_corpus, server, tmp_path).judge("A.", "B.")


@pytest.mark.parametrize(
    "content",
    ['{"same_fact": "yes"}', '{"same_fact": true, "why": "x"}', "[true]", '{"match": true}'],
)
def test_parse_verdict_is_strict(content):
    with pytest.raises(ValueError):
        parse_verdict(content)


def test_signature_records_prompt_version_and_hash_and_never_the_key(mini_corpus, tmp_path):
    judge = make(
        mini_corpus, None, tmp_path, base_url="http://127.0.0.1:9/v1", api_key="sk-secret-1234"
    )
    sig = judge.signature()
    assert sig["prompt"]["version"] == "judge/v1" and len(sig["prompt"]["sha256"]) == 64
    assert "sk-secret" not in json.dumps(sig) and "sk-secret" not in json.dumps(judge.config)


def test_an_unknown_config_key_is_named_with_this_strategy(mini_corpus, tmp_path):
    with pytest.raises(ValueError, match="unknown llm-judge config key"):
        make(mini_corpus, None, tmp_path, temprature=0)


def test_judge_validation_reports_kappa_against_the_gold_clusters(
    mini_corpus,
    server: FakeServer,
    tmp_path: Path,
):
    # the fixture's two pairs: (m1 c1, m2 c1) share the "visit" cluster; the other pair does not
    server.reply('{"same_fact": true}')
    server.reply('{"same_fact": true}')
    for _ in range(12):  # false coverage: six claims, each against two other facts of its article
        server.reply('{"same_fact": false}')
    report = validate_against_gold(make(mini_corpus, server, tmp_path), mini_corpus, 0.5)
    assert (report["n_pairs"], report["n_positive"]) == (2, 1)
    assert report["said_match_gold_not"] == 1 and report["kappa"] == 0.0
    # the negative pair's "true" is asked again, in the same order, by false coverage: the cache
    # answers it, so one claim of six is falsely covered and 2 + 12 - 1 requests are sent
    assert (report["false_coverage_hits"], report["false_coverage_claims"]) == (1, 6)
    assert len(server.requests) == 13
    assert report["signature"]["model"] == "judge-model"


def test_every_strategy_is_registered_in_the_entry_point_group_of_pyproject():
    import tomllib

    from harness.scoring.similarity import CORE, ENTRY_POINT_GROUP
    from tests.conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    eps = project["entry-points"][ENTRY_POINT_GROUP]
    assert eps["llm-judge"] == "baselines.llm_judge:LLMJudgeSimilarity"
    assert {k: eps[k] for k in CORE} == CORE
    assert "embeddings" in project["optional-dependencies"]
