"""Learner profiles in every store (the contract suite's `store` fixture): stored apart from the graph, surviving
a new store object, concurrent writers from two processes, and the removal of a practised document."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from graph.models import Concept, Document, DocumentGraph, Goal, Grade, Profile, Question, Review
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from graph.study.answers import QuestionRef
from graph.study.practice import graded
from tests.conftest import ROOT, neo4j_store
from tests.integration.test_store_contract import hostile_document
from tests.support.arcadedb import BoltServer


def practised_document() -> DocumentGraph:
    question = Question(id="q.md#1", text="DPO 为什么不需要 reward model？", line=3, section="对齐", answered=False,
                        concepts=["dpo"])
    document = Document(id="q.md", path="q.md", title="对齐", sha256="1" * 64, encoding="utf-8", chars=1, lines=3,
                        questions=[question])
    return DocumentGraph(document=document, concepts=[Concept(id="dpo", name="DPO")], relations=[])


def server_of(store: GraphStore, request: pytest.FixtureRequest) -> BoltServer | None:
    return None if isinstance(store, EmbeddedStore) else request.getfixturevalue("bolt_server")


def reopened(store: GraphStore, request: pytest.FixtureRequest) -> GraphStore:
    """A new store object on the same data, as after a restart."""
    server = server_of(store, request)
    return neo4j_store(server) if server else EmbeddedStore(store.data_dir)  # type: ignore[attr-defined]


def test_an_unknown_profile_is_empty(store: GraphStore) -> None:
    assert store.profile("me") == Profile(name="me")


def test_profiles_survive_a_restart_and_leave_the_graph_and_its_revision_alone(store: GraphStore, request: pytest.FixtureRequest) -> None:
    store.replace_documents([hostile_document()])
    graph, revision = store.graph(), store.revision()
    goal = Goal(concept="h1", by=date(2027, 1, 15))
    written = store.update_profile("me", lambda p: p.model_copy(update={"known": ["h0"], "goals": [goal]}))
    store.update_profile("other", lambda p: p.model_copy(update={"known": ["h2"]}))
    assert written == Profile(name="me", known=["h0"], goals=[goal])
    assert store.revision() == revision and store.graph() == graph
    again = reopened(store, request)
    assert again.profile("me") == written and again.profile("other").known == ["h2"]
    assert again.profile_names() == ["me", "other"]


def test_card_states_and_known_dates_round_trip_exactly(store: GraphStore, request: pytest.FixtureRequest) -> None:
    """What FSRS needs to schedule the next review (stability, difficulty, step, due to the microsecond) comes
    back as written, so a new process schedules a question exactly as the last one left it."""
    store.replace_documents([practised_document()])
    question = QuestionRef(id="q.md#1", text="DPO 为什么不需要 reward model？", document="q.md", line=3, answered=True)
    at = datetime(2026, 11, 30, 9, 15, 42, 123456, tzinfo=UTC)
    written = store.update_profile("me", lambda p: graded(p.knowing(["dpo"], at), question, ["dpo"], Grade.GOOD, at))
    written = store.update_profile("me", lambda p: graded(p, question, ["dpo"], Grade.EASY, at + timedelta(hours=1)))
    card = written.cards["q.md#1"]
    assert card.stability and card.difficulty and card.due > at + timedelta(hours=1)
    again = reopened(store, request).profile("me")
    assert again == written and again.known_since == {"dpo": at}


def test_removing_a_document_keeps_the_history_of_its_questions_readable(store: GraphStore, request: pytest.FixtureRequest) -> None:
    store.replace_documents([practised_document(), hostile_document()])
    question = next(q for d in store.documents() for q in d.questions)
    review = Review(question=question.id, text=question.text, concepts=question.concepts,
                    at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC), grade=Grade.HARD)
    store.update_profile("me", lambda p: p.model_copy(update={"history": [*p.history, review]}))
    store.replace_documents([], removed=["q.md"])
    assert not any(d.questions for d in store.documents())
    history = reopened(store, request).profile("me").history
    assert history == [review] and history[0].text == "DPO 为什么不需要 reward model？"


WRITER = """
import sys
from graph.store import open_store
from settings import Settings
store = open_store(Settings())
for number in range(20):
    name = f"{sys.argv[1]}-{number}"
    store.update_profile("me", lambda p: p.model_copy(update={"known": [*p.known, name]}))
"""


@pytest.mark.slow
def test_two_processes_writing_one_profile_lose_nothing(store: GraphStore, request: pytest.FixtureRequest) -> None:
    env = {**os.environ}
    server = server_of(store, request)
    if server is None:
        env.update(STUDYGRAPH_STORE="embedded", STUDYGRAPH_DATA_DIR=str(store.data_dir))  # type: ignore[attr-defined]
    else:
        env.update(STUDYGRAPH_STORE="neo4j", STUDYGRAPH_NEO4J_URI=server.uri, STUDYGRAPH_NEO4J_USER=server.user,
                   STUDYGRAPH_NEO4J_PASSWORD=server.password, STUDYGRAPH_NEO4J_DATABASE=server.database)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, side], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                                text=True) for side in ("a", "b")]
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr
    known = reopened(store, request).profile("me").known
    assert sorted(known) == sorted(f"{side}-{n}" for side in "ab" for n in range(20))


def test_a_graph_write_leaves_a_profile_write_in_flight_alone(tmp_path: Path) -> None:
    """Graph and profiles have separate locks: an ingest's clean-up must not take a profile writer's temp file."""
    store = EmbeddedStore(tmp_path)
    store.update_profile("me", lambda p: p.knowing(["x"]))
    in_flight = tmp_path / "profiles" / ".0123456789abcdef01234567.json-abc.tmp"  # replace_file's temp name
    in_flight.write_bytes(b"{}")
    store.replace_documents([hostile_document()])
    assert in_flight.exists()
    store.update_profile("me", lambda p: p.knowing(["y"]))  # under the profiles' lock: a leftover is torn
    assert not in_flight.exists() and store.profile("me").known == ["x", "y"]
