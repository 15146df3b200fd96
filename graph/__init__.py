"""The concept graph: its data model and operations at the top, `store/` to keep it, `study/` to learn from it."""
