"""The concept graph: data model, stores and the study algorithms over it."""
