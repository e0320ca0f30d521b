"""Sessions: `nox -l` lists them. The two that matter on a fresh machine:

python -m pip install nox && nox -s evaluate   # the main job: run, score, write results/
python -m pip install nox && nox -s tests      # the test suite
"""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
# Keep environments between runs: `evaluate` should not reinstall spaCy every time. An environment
# is still rebuilt when its Python or backend changes; `nox -s X --reuse-venv=no` forces it.
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "validate", "tests"]
# Compile every installed package to bytecode at install time. Without it each warm run compiles
# scikit-learn, scipy and spaCy again (seconds per run, and every run where the interpreter may
# not write .pyc files). uv reads this when the sessions install; environments built before this
# setting need one `nox -s NAME --reuse-venv=no` to be compiled.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")

PYTHON = "3.11"
# Every session installs against the pinned versions of constraints.txt, so that committed
# results are byte-identical on a fresh clone (see README, "Reproducing the results").
PIN = ("-c", "constraints.txt")
RUFF = "ruff==0.17.6"
# Where the TempEval-3 TimeBank + AQUAINT copy lives (the 'tbaq' collection of collections.yaml):
# HARNESS_TBAQ if set, else ../shared/data/tbaq beside the project. Absent data is reported as
# "not run", never as an error.
TBAQ = os.environ.get("HARNESS_TBAQ", "../shared/data/tbaq")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest + hypothesis), with the spaCy model and HeidelTime installed."""
    session.install(*PIN, "-e", ".[test,spacy,embeddings,heideltime,dask]")
    session.run("pytest", *session.posargs, env={"HARNESS_TBAQ": TBAQ})


@nox.session(python=PYTHON)
def evaluate(session: nox.Session) -> None:
    """Evaluate every extractor on every collection whose data is present; write results/."""
    session.install(*PIN, "-e", ".[spacy,embeddings,heideltime]")
    session.run("harness", "evaluate", *session.posargs, env={"HARNESS_TBAQ": TBAQ})


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Validate the gold annotations (schema, exact quotes, ids, TIMEX3 values, clusters)."""
    session.install(*PIN, "-e", ".")
    session.run("harness", "validate", *session.posargs)
    if (
        not session.posargs
    ):  # the claims test split: stand-off files over the user's TempEval-3 copy
        session.run("harness", "validate", "--collection", "tbaq-test", env={"HARNESS_TBAQ": TBAQ})


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Lint and check formatting with ruff (pinned)."""
    session.install(RUFF)
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def benchmark(session: nox.Session) -> None:
    """Time the evaluate pipeline stage by stage (repeated runs, medians) and print the figures."""
    session.install(*PIN, "-e", ".[spacy]")
    session.run("python", "scripts/benchmark.py", *session.posargs)


@nox.session(python=PYTHON)
def tbaq(session: nox.Session) -> None:
    """Measure the date resolvers on TimeBank + AQUAINT (development data, not shipped).

    Pass the path to the TempEval-3 TBAQ-cleaned directory, e.g. `nox -s tbaq -- --tbaq ../shared/data/tbaq`.
    """
    session.install(*PIN, "-e", ".[heideltime]")
    session.run("python", "scripts/tbaq_dev.py", *session.posargs, env={"HARNESS_TBAQ": TBAQ})


@nox.session(python=PYTHON)
def catalogue(session: nox.Session) -> None:
    """Run the catalogue of bad inputs and faults (tests/catalogue plus kills, concurrent runs,
    full and read-only disks) and print how many cases hold."""
    session.install(*PIN, "-e", ".[test]")
    session.run("python", "scripts/catalogue.py", *session.posargs)
