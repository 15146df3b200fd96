"""Documents built here whose names are attacks: what every page and map must show as plain text."""

from __future__ import annotations

from graph.models import Concept, Document, DocumentGraph, Evidence, Relation, RelationType

XSS_NAME = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = '<script>alert("map")</script>'


def xss_document(variant_of: str = "rope", doc_id: str = "xss.md") -> DocumentGraph:
    """Two concepts named as HTML injections, related to `variant_of` (an id the other notes define)."""
    concepts = [Concept(id="xss-img", name=XSS_NAME, aliases=[XSS_NAME.upper()], definition=f"{XSS_NAME} 是一种测试",
                        mentions=3, signals=["discovered"]),
                Concept(id="xss-script", name=SCRIPT_NAME, definition=SCRIPT_NAME, mentions=2, signals=["discovered"])]
    relations = [
        Relation(source="xss-img", target=variant_of, type=RelationType.VARIANT_OF, confidence=0.8, evidence=[
            Evidence(document=doc_id, line=3, section=SCRIPT_NAME, text=f"{XSS_NAME} 是 RoPE 的变体。")]),
        Relation(source="xss-script", target="xss-img", type=RelationType.USES, confidence=0.7, evidence=[
            Evidence(document=doc_id, line=5, section=SCRIPT_NAME, text=f"{SCRIPT_NAME} uses {XSS_NAME}")]),
    ]
    document = Document(id=doc_id, path=doc_id, title=SCRIPT_NAME, sha256="1" * 64, encoding="utf-8", chars=120,
                        lines=6)
    return DocumentGraph(document=document, concepts=concepts, relations=relations)
