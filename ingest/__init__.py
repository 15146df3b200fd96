"""From study notes to an evidence-backed concept graph."""
