"""The API's response bodies: what each endpoint promises in its OpenAPI schema."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from graph.models import Evidence, Grade, Location, Profile, Question, RelationType, Section
from graph.study.answers import QuestionRef


class ErrorInfo(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. concept_not_found")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    """Every error response has this one shape."""

    error: ErrorInfo


class Health(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]  # degraded: the last good graph, the newer one unreadable
    store: str
    ready: bool
    revision: str | None = None
    documents: int = 0
    concepts: int = 0
    relations: int = 0
    typed_relations: int = 0
    message: str | None = None


class ConceptHit(BaseModel):
    id: str
    name: str
    aliases: list[str]
    kind: str | None
    mentions: int
    matched: str = Field(description="the name or alias that matched the query")
    score: float = Field(description="100 exact, 80-90 prefix, 66-75 contains, below 70 fuzzy")


class ConceptPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ConceptHit]


class RelationView(BaseModel):
    source: str
    source_name: str
    target: str
    target_name: str
    type: RelationType
    confidence: float
    weight: int
    first: str | None = None
    evidence: list[Evidence]


class RelationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[RelationView]


class ConceptDetail(BaseModel):
    id: str
    name: str
    aliases: list[str]
    kind: str | None
    mentions: int
    definition: str | None
    definition_source: Location | None
    relations: list[RelationView] = Field(description="typed relations touching the concept, strongest first")
    related: list[RelationView] = Field(description="untyped co-occurrences (RELATED_TO), strongest first")
    questions: list[QuestionRef]
    documents: list[str] = Field(description="ids of the documents that mention it")


class DocumentSummary(BaseModel):
    id: str
    title: str
    path: str
    encoding: str
    chars: int
    lines: int
    sections: int
    questions: int


class ConceptRef(BaseModel):
    id: str
    name: str


class DocumentDetail(BaseModel):
    id: str
    title: str
    path: str
    sha256: str
    encoding: str
    chars: int
    lines: int
    sections: list[Section]
    questions: list[Question]
    concepts: list[ConceptRef]


class SkippedFile(BaseModel):
    name: str
    reason: str


class IngestReport(BaseModel):
    ingested: list[str]
    replaced: list[str] = Field(default_factory=list, description="ingested ids that replaced a document already "
                                                                  "in the store (same id, new content)")
    unchanged: list[str]
    skipped: list[SkippedFile]
    documents: int
    concepts: int
    typed_relations: int


class RemovalReport(BaseModel):
    removed: str
    documents: int
    concepts: int


class ImportReport(BaseModel):
    imported: list[str] = Field(description="document ids the graph file held")
    removed: list[str] = Field(default_factory=list, description="documents dropped by replace=true")
    documents: int
    concepts: int
    typed_relations: int


class Job(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    stage: str = ""
    done: int = 0
    total: int = 0
    files: list[str]
    result: IngestReport | None = None
    error: ErrorInfo | None = None


class KnownChange(BaseModel):
    """Concepts (id, name or alias) to mark known, or with `forget` to take off the known list."""

    model_config = ConfigDict(extra="forbid")

    concepts: list[str] = Field(min_length=1, max_length=200)
    forget: StrictBool = False  # lax, 0 or "no" would read as false


class GoalRequest(BaseModel):
    """A concept to reach (id, name or alias), optionally by a date; setting it again changes the date."""

    model_config = ConfigDict(extra="forbid")

    concept: str = Field(min_length=1, max_length=200)
    by: date | None = None

    @field_validator("by", mode="before")
    @classmethod
    def _a_date_is_written_out(cls, value: object) -> object:
        """Only YYYY-MM-DD, as the schema says: lax, a number would read as seconds since 1970."""
        if value is not None and not isinstance(value, str | date):
            raise ValueError("a date as YYYY-MM-DD")
        return value


class ReviewRequest(BaseModel):
    """A practice answer to a question in the notes (its id, as `GET /documents/{id}` lists them), graded by the
    learner."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=500)
    grade: Grade


class ProfileView(Profile):
    """A learner profile as the API answers it: the latest reviews only (`history` query), with their count."""

    history_total: int = Field(description="reviews in the whole history (the answer carries the latest)")
