"""Where the graph is kept: the `GraphStore` protocol, `open_store(settings)`, and its two implementations
(`embedded`, a durable file; `neo4j_store`, through the official driver)."""

from graph.store.protocol import GraphStore, open_store

__all__ = ["GraphStore", "open_store"]
