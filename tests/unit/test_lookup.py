"""Looking things up by name: each question about a concept once, close matches for a mistyped document id."""

from __future__ import annotations

import pytest

from graph.errors import DocumentNotFound
from graph.lookup import questions_about, similar_documents
from graph.models import Concept, Document, KnowledgeGraph, Question


def _document(doc_id: str, *questions: tuple[int, str, bool]) -> Document:
    return Document(id=doc_id, path=doc_id, title=doc_id, sha256="0", encoding="utf-8", chars=1, lines=1,
                    questions=[Question(id=f"{doc_id}:L{line}", text=text, line=line, section="", answered=answered,
                                        concepts=["rope"]) for line, text, answered in questions])


def test_a_question_asked_twice_is_shown_once_as_answered() -> None:
    graph = KnowledgeGraph(concepts=[Concept(id="rope", name="RoPE")], documents=[
        _document("a.md", (2, "1. 什么是 RoPE？", False), (9, "RoPE 和 ALiBi 的区别？", True)),
        _document("b.md", (5, "Q3: 什么是 rope?", True)),
    ])
    shown = [(q.id, q.answered) for q in questions_about(graph, "rope")]
    assert shown == [("b.md:L5", True), ("a.md:L9", True)]


@pytest.mark.parametrize(("wanted", "expected"), [
    ("ok.md", ["bad/ok.md"]),  # the folder left off
    ("notes/ok.md", ["bad/ok.md"]),  # the wrong folder, the same file name
    ("bad/okk.md", ["bad/ok.md"]),  # a typo
    ("zzz.txt", []),
])
def test_an_unknown_document_id_suggests_the_ids_it_probably_means(wanted: str, expected: list[str]) -> None:
    assert similar_documents(["bad/ok.md", "notes/rope.md", "other/b.md"], wanted) == expected


def test_the_error_names_the_suggestions_else_the_documents() -> None:
    assert "did you mean 'bad/ok.md'?" in str(DocumentNotFound("ok.md", ["bad/ok.md"], ["bad/ok.md"]))
    assert "ingested documents: bad/ok.md" in str(DocumentNotFound("zzz", ["bad/ok.md"], []))
