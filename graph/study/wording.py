"""Relations as the sentences a learner reads: always in the relation's own direction, whichever way a plan or a
connection walks it, so no hop ever states a false fact."""

from __future__ import annotations

from collections.abc import Callable

from graph.models import RelationType
from graph.study.answers import Why

PHRASES: dict[RelationType, str] = {
    RelationType.USES: "uses",
    RelationType.EXTENDS: "extends",
    RelationType.VARIANT_OF: "is a variant of",
    RelationType.IS_A: "is a kind of",
    RelationType.PART_OF: "is part of",
    RelationType.REQUIRES: "requires",
    RelationType.REPLACES: "replaces",
    RelationType.SOLVES: "solves",
    RelationType.COMPARED_WITH: "is compared with",
    RelationType.RELATED_TO: "appears together with",
}


def statement(why: Why, name: Callable[[str], str]) -> str:
    """'PPO is part of RLHF': the relation as its evidence states it.

    >>> from graph.models import Location
    >>> w = Why(source="ppo", target="rlhf", type="PART_OF", confidence=0.8, sentence="s",
    ...         where=Location(document="d", line=1))
    >>> statement(w, str.upper)
    'PPO is part of RLHF'
    """
    return f"{name(why.source)} {PHRASES[why.type]} {name(why.target)}"


def arrow(walked_from: str, why: Why, name: Callable[[str], str]) -> str:
    """One hop of a walk starting at `walked_from`, the arrow pointing the relation's way:
    'PPO ←PART_OF— RLHF' when walking from RLHF, 'RLHF —USES→ PPO' when walking from RLHF along USES.

    >>> from graph.models import Location
    >>> w = Why(source="ppo", target="rlhf", type="PART_OF", confidence=0.8, sentence="s",
    ...         where=Location(document="d", line=1))
    >>> arrow("rlhf", w, str.upper), arrow("ppo", w, str.upper)
    ('RLHF ←PART_OF— PPO', 'PPO —PART_OF→ RLHF')
    """
    if walked_from == why.source:
        return f"{name(why.source)} —{why.type.value}→ {name(why.target)}"
    return f"{name(why.target)} ←{why.type.value}— {name(why.source)}"
