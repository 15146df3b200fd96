"""The one data model passed between stages: documents, concepts, typed relations and their evidence."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class RelationType(StrEnum):
    """Relation vocabulary; `RELATED_TO` is untyped co-occurrence and never reported as a typed relation."""

    IS_A = "IS_A"
    VARIANT_OF = "VARIANT_OF"
    EXTENDS = "EXTENDS"
    REPLACES = "REPLACES"
    PART_OF = "PART_OF"
    USES = "USES"
    COMPARED_WITH = "COMPARED_WITH"
    SOLVES = "SOLVES"
    REQUIRES = "REQUIRES"
    RELATED_TO = "RELATED_TO"

    @property
    def symmetric(self) -> bool:
        return self is RelationType.COMPARED_WITH or self is RelationType.RELATED_TO  # `is`: enum hashing is slow

    @property
    def typed(self) -> bool:
        return self is not RelationType.RELATED_TO


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(Model):
    """Where something stands in the notes: document id, 1-based line, section heading.

    Frozen, so one instance can stand for every concept named on the same line.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str
    line: int
    section: str = ""


class Evidence(Location):
    """The sentence that states a relation, and the extraction rule that read it."""

    text: str
    rule: str = ""


class Concept(Model):
    """A concept as the notes name it: canonical id, the author's spelling, every alias seen."""

    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: str | None = None
    definition: str | None = None
    definition_source: Location | None = None
    mentions: int = 0
    locations: list[Location] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list)
    example: Evidence | None = None


class Relation(Model):
    """A directed (or, for symmetric types, unordered) relation between two concept ids."""

    source: str
    target: str
    type: RelationType
    confidence: float = Field(ge=0.0, le=1.0)
    weight: int = 1
    evidence: list[Evidence] = Field(min_length=1)
    # For a comparison, the side the text treats as the reference ("GRPO 和 PPO 的区别", "介于 MHA 和 MQA 之间"):
    # a learner meets it first. None when the text gives no order.
    first: str | None = None


class Section(Model):
    """A heading and the lines it spans; `parent` is the id of the enclosing section."""

    id: str
    heading: str
    level: int
    line_start: int
    line_end: int
    parent: str | None = None


class Question(Model):
    """A question in the notes (interview Q&A), whether the notes answer it, and its metadata."""

    id: str
    text: str
    line: int
    section: str
    answered: bool
    difficulty: int | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)
    concepts: list[str] = Field(default_factory=list)


class Document(Model):
    """An ingested notes file; `sha256` decides whether re-ingesting it changes anything."""

    id: str
    path: str
    title: str
    sha256: str
    encoding: str
    chars: int
    lines: int
    sections: list[Section] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    tables: int = 0


class DocumentGraph(Model):
    """What one document contributes; the store keeps these so a document can be replaced or removed."""

    document: Document
    concepts: list[Concept]
    relations: list[Relation]
    # The notes text, kept so the store can read the document again when the names it is read against change
    # (another document brings or takes away one it mentions); None for a graph imported without its notes.
    source: str | None = None
    # Fingerprint of the names this document was read against that occur in its text (`ingest.rebuild`).
    vocabulary: str | None = None
    # Which file on disk it was read from (a digest of the resolved path), so another path to it keeps its id.
    origin: str | None = None


class KnowledgeGraph(Model):
    """The merged graph every reader (study algorithms, API, maps, export) works on."""

    documents: list[Document] = Field(default_factory=list)
    concepts: list[Concept] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    def typed_relations(self) -> list[Relation]:
        return [r for r in self.relations if r.type.typed]


class Grade(StrEnum):
    """How a practice answer went, graded by the learner (the four grades spaced-repetition tools use)."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


class Goal(Model):
    """A concept the learner means to know, by a date or open-ended."""

    concept: str
    by: date | None = None


class Review(Model):
    """One practice answer. The question's text and concepts are copied in, so the history stays readable after
    the document that asked it is removed."""

    question: str
    text: str
    concepts: list[str] = Field(default_factory=list)
    at: datetime
    grade: Grade


class CardState(Model):
    """Where spaced repetition stands on one question: the fields of an FSRS card, stored as plain data so the
    model needs no scheduler (`graph.study.practice` turns it into an `fsrs.Card` and back)."""

    state: int = Field(description="FSRS card state: 1 learning, 2 review, 3 relearning")
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime
    last_review: datetime | None = None


class Profile(Model):
    """A learner: concept ids known, goals and practice history. Kept beside the graph, never part of it (no
    export, no graph revision)."""

    name: str
    known: list[str] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    history: list[Review] = Field(default_factory=list)
    # Question id -> its card; profiles written before practice existed have none and read as empty.
    cards: dict[str, CardState] = Field(default_factory=dict)
    # Concept id -> when it was marked known, for progress over time; concepts marked before this existed have none.
    known_since: dict[str, datetime] = Field(default_factory=dict)

    def knowing(self, concepts: list[str], at: datetime | None = None) -> Profile:
        """This profile with these concept ids known too (each once, in the order learnt), marked at `at`; a
        concept already known keeps its first date."""
        new = [c for c in dict.fromkeys(concepts) if c not in self.known]
        since = {**self.known_since, **({c: at for c in new} if at else {})}
        return self.model_copy(update={"known": [*self.known, *new], "known_since": since})

    def forgetting(self, concepts: list[str]) -> Profile:
        return self.model_copy(update={"known": [c for c in self.known if c not in concepts],
                                       "known_since": {c: t for c, t in self.known_since.items()
                                                       if c not in concepts}})

    def aiming_at(self, goal: Goal) -> Profile:
        """This profile with the goal added, or its date changed when the concept is already a goal."""
        return self.model_copy(update={"goals": [*self.without_goal(goal.concept).goals, goal]})

    def without_goal(self, concept: str) -> Profile:
        return self.model_copy(update={"goals": [g for g in self.goals if g.concept != concept]})
