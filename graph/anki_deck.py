"""Anki flash cards from the questions in the notes, with ids that make a second import update the first."""

from __future__ import annotations

import html
import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import genanki

from graph.lookup import question_key
from graph.models import Document, Question

# Anki knows a deck and a note type by these ids: fixed for good, so every export lands in the same deck and
# note type. Changing the note type's fields or templates needs a new MODEL_ID.
DECK_ID = 1217028400
MODEL_ID = 2102010027
DECK_NAME = "studygraph"
UNANSWERED = "Not answered in your notes — write the answer."
UNANSWERED_TAG = "unanswered"

NOTE_TYPE = genanki.Model(
    MODEL_ID, "studygraph question",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Where"}],
    templates=[{
        "name": "Recall",
        "qfmt": '<div class="question">{{Question}}</div>',
        "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div><div class="where">{{Where}}</div>',
    }],
    # pre-wrap: answers are the notes' own lines, whose indentation (code, nested lists) carries meaning.
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }\n"
        ".answer { white-space: pre-wrap; }\n.where { margin-top: 1em; font-size: 13px; color: #888; }\n",
)

Place = tuple[Document, Question]


def anki_notes(documents: list[Document], answers: Mapping[str, str], names: Mapping[str, str]) -> list[genanki.Note]:
    """One note per question, however many places ask it (`question_key`: a list of questions, then a section).

    `answers` maps a question id to the notes' answer (`ingest.answers`), `names` a concept id to its name. The
    back holds the answer of every place that answers the question, and those places; a question answered
    nowhere keeps its card, saying so and tagged `unanswered`: writing that answer is the study it asks for.
    The GUID comes from what the question asks, not its line id, so a line added above it, a new number or a
    move to another file still updates the same card."""
    asked: dict[str, list[Place]] = {}
    for document in documents:
        for question in document.questions:
            asked.setdefault(question_key(question.text) or question.id, []).append((document, question))
    return [_note(key, places, answers, names) for key, places in asked.items()]


def _note(key: str, places: list[Place], answers: Mapping[str, str], names: Mapping[str, str]) -> genanki.Note:
    answered = [(d, q) for d, q in places if q.answered and answers.get(q.id)]
    shown = answered or places
    back = "<hr>".join(_as_html(answers[q.id]) for _, q in answered) or html.escape(UNANSWERED)
    fields = [_as_html(shown[0][1].text), back, "<br>".join(html.escape(location(d, q)) for d, q in shown)]
    return genanki.Note(model=NOTE_TYPE, fields=fields, tags=_tags(shown, names, not answered),
                        guid=genanki.guid_for("studygraph", key))


def _as_html(text: str) -> str:
    """Notes text as an Anki field (HTML): escaped, its line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def location(document: Document, question: Question) -> str:
    """`document:line § section`; a question that is a heading itself is placed in the section around it.

    >>> from graph.models import Section
    >>> sections = [Section(id="a.md#L1", heading="RLHF", level=1, line_start=1, line_end=9),
    ...             Section(id="a.md#L3", heading="DPO?", level=2, line_start=3, line_end=9, parent="a.md#L1")]
    >>> doc = Document(id="a.md", path="a.md", title="RLHF", sha256="", encoding="utf-8", chars=1, lines=9,
    ...                sections=sections)
    >>> location(doc, Question(id="a.md:L3", text="DPO?", line=3, section="DPO?", answered=True))
    'a.md:3 § RLHF'
    """
    own = next((s for s in document.sections if s.line_start == question.line), None)
    parents = {s.id: s.heading for s in document.sections}
    section = question.section if own is None else parents.get(own.parent or "", "")
    return f"{document.id}:{question.line}" + (f" § {section}" if section else "")


def _tags(places: list[Place], names: Mapping[str, str], unanswered: bool) -> list[str]:
    """Concept names, `difficulty::N` and `unanswered`; Anki splits tags on spaces, so they become '_'."""
    found = [names.get(concept, concept) for _, question in places for concept in question.concepts]
    difficulty = max((q.difficulty for _, q in places if q.difficulty), default=None)
    found += [f"difficulty::{difficulty}"] if difficulty else []
    found += [UNANSWERED_TAG] if unanswered else []
    tags: dict[str, str] = {}
    for tag in ("_".join(name.split()) for name in found):
        if tag:
            tags.setdefault(tag.casefold(), tag)  # Anki matches tags ignoring case
    return list(tags.values())


def write_deck(notes: list[genanki.Note], path: Path) -> None:
    """Write the notes as an .apkg. The collection is built here with genanki's `write_to_db`:
    `Package.write_to_file` leaves its scratch collection behind in the temp folder on every call."""
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Questions from your notes, with their answers.")
    for note in notes:
        deck.add_note(note)
    stamp = time.time()  # newer than the cards already imported, so Anki takes these as their update
    with tempfile.TemporaryDirectory(prefix="studygraph-anki-") as scratch:
        collection = Path(scratch, "collection.anki2")
        with closing(sqlite3.connect(collection)) as db:
            genanki.Package(deck).write_to_db(db.cursor(), stamp, itertools.count(int(stamp * 1000)))
            db.commit()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(collection, "collection.anki2")
            package.writestr("media", "{}")
