"""Everything the study algorithms look up, built once per loaded graph: the prerequisite graph, questions per
concept, difficulty, centrality, and where in the notes each concept and relation is written down."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import NamedTuple

import networkx as nx

from graph.bulk import long_lived
from graph.lookup import find_concept
from graph.models import Concept, KnowledgeGraph, Location, Question, Relation
from graph.normalize import concept_key, slugify
from graph.study.answers import QuestionRef, Why
from graph.study.prerequisites import PrerequisiteGraph, prerequisite_graph

READ_AT_LIMIT = 3


class StudyFacts(NamedTuple):
    """What a study step says about its concept, apart from its place in the plan."""

    read_at: list[Location]
    questions: list[QuestionRef]
    difficulty: float | None
    effort_minutes: int


class StudyIndex:
    """A read-only view of one KnowledgeGraph for the study algorithms."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.graph = graph
        self.concepts: dict[str, Concept] = {c.id: c for c in graph.concepts}
        with long_lived():
            self.order: PrerequisiteGraph = prerequisite_graph(graph)
            self.questions = self._questions_by_concept()
        self._facts: dict[str, StudyFacts] = {}
        self._whys: dict[tuple[str, str], Why] = {}
        self._tie_breaks: dict[str, str] = {}
        self._after: dict[str, dict[str, float]] = {}
        self.question_concepts: dict[str, set[str]] = defaultdict(set)
        for concept_id, asked in self.questions.items():
            for _, question in asked:
                self.question_concepts[question.id].add(concept_id)

    # ---- lookups ----
    def resolve(self, name: str) -> str:
        """A concept id from an id, name or alias; ConceptNotFound with suggestions otherwise."""
        if name in self.concepts:
            return name
        key = concept_key(name)
        found = self.name_keys.get(key) or self.alias_keys.get(key)
        return found if found else find_concept(self.graph, name).id  # raises with suggestions

    @cached_property
    def name_keys(self) -> dict[str, str]:
        """Normalised display name -> id; the first concept wins, as in `find_concept`."""
        found: dict[str, str] = {}
        for concept in self.graph.concepts:
            found.setdefault(concept_key(concept.name), concept.id)
        return found

    @cached_property
    def alias_keys(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for concept in self.graph.concepts:
            for alias in concept.aliases:
                found.setdefault(concept_key(alias), concept.id)
        return found

    def resolve_all(self, names: Iterable[str]) -> list[str]:
        return [self.resolve(n) for n in names if n.strip()]

    def name(self, concept_id: str) -> str:
        return self.concepts[concept_id].name

    def known_closure(self, known: Iterable[str]) -> set[str]:
        """Known concepts and everything they imply: whoever knows DPO has met what DPO builds on."""
        closure = set(known)
        for concept_id in list(closure):
            closure |= self.order.prerequisites(concept_id)
        return closure

    # ---- per-concept facts ----
    def _questions_by_concept(self) -> dict[str, list[tuple[str, Question]]]:
        # Questions name document-level ids; a merge may have folded those into another concept's id.
        by_label: dict[str, str] = {}
        found: dict[str, list[tuple[str, Question]]] = defaultdict(list)
        for document in self.graph.documents:
            for question in document.questions:
                if not by_label and any(cid not in self.concepts for cid in question.concepts):
                    by_label = {slugify(label): c.id for c in self.graph.concepts for label in (c.name, *c.aliases)}
                ids = {cid if cid in self.concepts else by_label.get(cid) for cid in question.concepts}
                for concept_id in sorted(i for i in ids if i):
                    found[concept_id].append((document.id, question))
        return found

    def questions_about(self, concept_id: str) -> list[QuestionRef]:
        return [QuestionRef(id=q.id, text=q.text, document=doc, line=q.line, difficulty=q.difficulty,
                            answered=q.answered) for doc, q in self.questions.get(concept_id, [])]

    def difficulty(self, concept_id: str) -> float | None:
        stars = [q.difficulty for _, q in self.questions.get(concept_id, []) if q.difficulty]
        return round(sum(stars) / len(stars), 2) if stars else None

    def effort_minutes(self, concept_id: str) -> int:
        """A rough reading estimate: 10 minutes, plus 5 per difficulty star (2 when unrated), plus 2 per section
        of the notes that mentions it (up to 10 sections)."""
        sections = {(loc.document, loc.section) for loc in self.concepts[concept_id].locations}
        return round(10 + 5 * (self.difficulty(concept_id) or 2) + 2 * min(len(sections), 10))

    def read_at(self, concept_id: str) -> list[Location]:
        """Where to read about a concept: its definition first, then its first mentions in distinct sections."""
        concept = self.concepts[concept_id]
        places: dict[tuple[str, str], Location] = {}
        if concept.definition_source:
            source = concept.definition_source
            places[(source.document, source.section)] = source
        for location in concept.locations:
            places.setdefault((location.document, location.section), location)
        return list(places.values())[:READ_AT_LIMIT]

    def facts(self, concept_id: str) -> StudyFacts:
        """A concept's study facts, made on first use and kept: the graph behind an index never changes, and
        plans for related targets share most of their steps."""
        found = self._facts.get(concept_id)
        if found is None:
            found = self._facts[concept_id] = StudyFacts(
                self.read_at(concept_id), self.questions_about(concept_id), self.difficulty(concept_id),
                self.effort_minutes(concept_id))
        return found

    def prerequisite_why(self, before: str, after: str) -> Why:
        """Why `before` comes before `after` in the study order (kept, like `facts`)."""
        found = self._whys.get((before, after))
        if found is None:
            found = self._whys[(before, after)] = why(self.order.relation(before, after))
        return found

    def plan_tie_break(self, concept_id: str) -> str:
        """How a plan orders steps that are ready together: lower difficulty, then more central, then name."""
        found = self._tie_breaks.get(concept_id)
        if found is None:
            difficulty = self.facts(concept_id).difficulty or 0.0
            found = self._tie_breaks[concept_id] = (
                f"{difficulty:05.2f}|{1 - self.centrality.get(concept_id, 0.0):.6f}|"
                f"{self.name(concept_id).casefold()}|{concept_id}")
        return found

    def strengths_after(self, concept_id: str) -> dict[str, float]:
        """The concepts that build on this one, with the strength of each prerequisite edge (kept, like `facts`)."""
        found = self._after.get(concept_id)
        if found is None:
            found = self._after[concept_id] = {
                after: data["strength"] for after, data in self.order.graph.succ[concept_id].items()}
        return found

    @cached_property
    def centrality(self) -> dict[str, float]:
        """Degree centrality over the typed relations: central concepts are the ones the notes keep relating to."""
        view = nx.Graph()
        view.add_nodes_from(self.concepts)
        view.add_edges_from((r.source, r.target) for r in self.graph.relations if r.type.typed)
        return nx.degree_centrality(view) if len(view) > 1 else dict.fromkeys(self.concepts, 0.0)

    @cached_property
    def all_relations(self) -> nx.Graph:
        """Undirected view of every relation (co-occurrence included), each edge keeping its relations."""
        view = nx.Graph()
        view.add_nodes_from(self.concepts)
        for relation in self.graph.relations:
            if view.has_edge(relation.source, relation.target):
                view.edges[relation.source, relation.target]["relations"].append(relation)
            else:
                view.add_edge(relation.source, relation.target, relations=[relation])
        return view

    @cached_property
    def question_and_heading_lines(self) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
        """(document, line) of every question and every heading: mentions there ask or name, not explain."""
        documents = self.graph.documents
        return ({(d.id, q.line) for d in documents for q in d.questions},
                {(d.id, s.line_start) for d in documents for s in d.sections})

    @cached_property
    def typed_view(self) -> nx.Graph:
        """The same view restricted to edges that carry at least one typed relation (a real graph, not a filtered
        view: path searches over views re-run the filter on every step)."""
        typed = nx.Graph()
        typed.add_nodes_from(self.concepts)
        typed.add_edges_from((u, v, data) for u, v, data in self.all_relations.edges(data=True)
                             if any(r.type.typed for r in data["relations"]))
        return typed

    def typed_between(self, a: str, b: str) -> list[Relation]:
        data = self.all_relations.get_edge_data(a, b)
        return [r for r in data["relations"] if r.type.typed] if data else []


def why(relation: Relation) -> Why:
    """The relation with its first evidence sentence."""
    evidence = relation.evidence[0]
    return Why(source=relation.source, target=relation.target, type=relation.type, confidence=relation.confidence,
               sentence=evidence.text, where=Location(document=evidence.document, line=evidence.line,
                                                      section=evidence.section))
