"""How maps look: colours for relation types, communities, kinds and highlights, and the CJK-capable fonts."""

from __future__ import annotations

from dataclasses import dataclass

from graph.models import RelationType

# Canvas text falls back through this list, so Chinese labels render wherever one of these fonts is installed
# (Debian's fonts-wqy-microhei in CI; PingFang or YaHei on a learner's laptop).
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", '
              '"Hiragino Sans GB", system-ui, sans-serif')


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    label: str  # how the legend reads the edge, source first
    directed: bool = True
    dashes: bool = False


EDGE_STYLES: dict[RelationType, EdgeStyle] = {
    RelationType.IS_A: EdgeStyle("#1f77b4", "is a"),
    RelationType.VARIANT_OF: EdgeStyle("#17becf", "variant of"),
    RelationType.EXTENDS: EdgeStyle("#2ca02c", "extends"),
    RelationType.REPLACES: EdgeStyle("#d62728", "replaces"),
    RelationType.PART_OF: EdgeStyle("#9467bd", "part of"),
    RelationType.USES: EdgeStyle("#8c564b", "uses"),
    RelationType.COMPARED_WITH: EdgeStyle("#ff7f0e", "compared with", directed=False),
    RelationType.SOLVES: EdgeStyle("#bcbd22", "solves"),
    RelationType.REQUIRES: EdgeStyle("#e377c2", "requires"),
    RelationType.RELATED_TO: EdgeStyle("#b0b0b0", "co-occurs with", directed=False, dashes=True),
}

# Colour-blind-friendly enough to tell a dozen groups apart; more groups cycle.
GROUP_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#86bcb6", "#d4a6c8", "#a0cbe8")
UNGROUPED = "#c8c8c8"

# Highlights of the study views.
TARGET = "#d62728"
STEP = "#4e79a7"
KNOWN = "#dcdcdc"
KNOWN_TEXT = "#9a9a9a"
BRIDGING = "#59a14f"
UNEXPLAINED = "#f28e2b"
UNANSWERED = "#e15759"
MISSING_LINK = "#e6007e"  # no relation type uses magenta
MISSING_PREREQUISITE = "#b07aa1"


def group_colour(index: int | None) -> str:
    return UNGROUPED if index is None else GROUP_COLOURS[index % len(GROUP_COLOURS)]
