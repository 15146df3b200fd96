"""Starting positions for big maps: each community gathered round its own centre, centres on a sunflower
spiral. vis-network then needs only a short, bounded stabilisation to tidy up, instead of untangling a random
hairball (which 2,000 nodes do not manage in the iterations a browser can afford).

>>> positions = seed_positions(["a", "b", "c"], {"a": 0, "b": 0, "c": 1})
>>> sorted(positions) == ["a", "b", "c"] and positions == seed_positions(["a", "b", "c"], {"a": 0, "b": 0, "c": 1})
True
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

SPACING = 42.0  # canvas units per node: about a node's diameter plus room for its label
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SEED = 7


def seed_positions(nodes: list[str], groups: dict[str, int]) -> dict[str, tuple[float, float]]:
    """(x, y) per node, the same for the same input; ungrouped nodes form one more group."""
    members: dict[int, list[str]] = defaultdict(list)
    for node in nodes:
        members[groups.get(node, -1)].append(node)
    ordered = sorted(members.values(), key=lambda group: (-len(group), group[0]))
    rng = random.Random(SEED)
    positions: dict[str, tuple[float, float]] = {}
    placed_area = 0.0
    for number, group in enumerate(ordered):
        radius = SPACING * math.sqrt(len(group)) / 1.6
        # Centres on a spiral whose radius grows with the area already placed, so big groups do not overlap.
        placed_area += (radius * 2.2) ** 2
        distance = math.sqrt(placed_area / math.pi) if number else 0.0
        cx, cy = distance * math.cos(number * GOLDEN_ANGLE), distance * math.sin(number * GOLDEN_ANGLE)
        for node in group:
            angle, reach = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.random())
            positions[node] = (round(cx + reach * math.cos(angle), 1), round(cy + reach * math.sin(angle), 1))
    return positions
