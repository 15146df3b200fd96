"""Which typed relations put one concept before another for a learner: the rule the stores' prerequisite reads
and the study engine share, so it lives with the model."""

from __future__ import annotations

from graph.models import RelationType

# For `A <type> B` the learner studies B before A ...
PREREQUISITE_OF_SOURCE = frozenset({RelationType.EXTENDS, RelationType.VARIANT_OF, RelationType.REPLACES,
                                    RelationType.USES, RelationType.IS_A, RelationType.REQUIRES,
                                    RelationType.SOLVES})  # the problem before what solves it
# ... except `A PART_OF B`, where A comes before B.
PREREQUISITE_OF_TARGET = frozenset({RelationType.PART_OF})
