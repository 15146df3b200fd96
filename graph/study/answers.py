"""What the study engine answers with: plain pydantic models, the same for the CLI's --json and the API."""

from __future__ import annotations

from pydantic import Field

from graph.models import Location, Model, RelationType


class Why(Model):
    """A relation that explains a step or a hop, with the sentence the notes state it in."""

    source: str
    target: str
    type: RelationType
    confidence: float
    sentence: str
    where: Location


class QuestionRef(Model):
    """A question in the notes that tests a concept."""

    id: str
    text: str
    document: str
    line: int
    difficulty: int | None = None
    answered: bool


class StudyStep(Model):
    """One concept to study, why, where to read it, and what tests it."""

    order: int
    concept: str
    name: str
    depth: int = Field(description="prerequisite hops from the target (0 for the target itself)")
    needed_for: str | None = Field(default=None, description="the next concept on the chain to the target")
    why: Why | None = Field(default=None, description="the chain's first relation: this step and the next")
    chain: list[Why] = Field(default_factory=list, description="the relations that tie this step to the target, "
                                                                "each in its own direction, from this step on")
    because: str | None = Field(default=None, description="the chain read out: 'RLHF uses PPO; DPO replaces RLHF'")
    relevance: float = Field(default=1.0, description="how much the target needs it (1 for the target)")
    read_at: list[Location] = Field(default_factory=list)
    questions: list[QuestionRef] = Field(default_factory=list)
    difficulty: float | None = Field(default=None, description="mean 难度 stars of the questions about it")
    effort_minutes: int


class StudyPath(Model):
    target: str
    target_name: str
    steps: list[StudyStep] = Field(description="the core: what the target needs most, in study order, then the "
                                               "target")
    background: list[StudyStep] = Field(default_factory=list, description="further prerequisites, most relevant "
                                                                          "first (every one reachable with all)")
    skipped_known: list[str] = Field(default_factory=list, description="prerequisites skipped as known")
    truncated: int = Field(default=0, description="prerequisites found but listed in neither core nor background")
    complete: bool = Field(default=True, description="false when max_depth or limit stopped the walk early, so "
                                                     "more prerequisites may lie further back")


class Hop(Model):
    """One hop of a connection between two concepts."""

    source: str
    target: str
    why: Why


class Connection(Model):
    source: str
    target: str
    kind: str = Field(description="'prerequisite chain', 'reverse prerequisite chain', 'relation chain' or 'none'")
    concepts: list[str]
    hops: list[Hop]


class NextTopic(Model):
    concept: str
    name: str
    unlocks: int = Field(description="concepts that have this one as a core prerequisite")
    unlocks_examples: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list, description="its core prerequisites, all known")
    relevance: float | None = Field(default=None, description="how much the goal needs it (with a goal)")


class RelatedTopic(Model):
    concept: str
    name: str
    kind: str = Field(description="comparison, variant, sibling or alternative")
    score: float
    explanation: str


class GapItem(Model):
    """One gap, explaining itself in one line."""

    kind: str = Field(description="bridging, unexplained, unanswered, missing_link or missing_prerequisite")
    concepts: list[str]
    explanation: str
    evidence: list[str] = Field(default_factory=list)


class GapReport(Model):
    a: str
    b: str | None = None
    area: list[str]
    items: list[GapItem]
    more: dict[str, int] = Field(default_factory=dict, description="items per kind left out by the cap")


class DoctorReport(Model):
    dropped_cycle_edges: list[str]
    orphans: list[str]
    without_evidence: list[str]
    near_duplicates: list[tuple[str, str]]
