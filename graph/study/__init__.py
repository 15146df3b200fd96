"""The study engine: pure functions over a `StudyIndex` (prerequisites, plan order, plans, next and related
topics, gaps, doctor) and the answer models they return. It reads the model only, never a store."""
