"""Check annotation files against the notes they annotate, as the annotation guide's format requires.

Usage: python -m training.check_annotations [FILE.json ...]   (default: every file in training/annotations)
Exit 0 when every file passes; each problem is printed with the file, record and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

from training.corpus import ANNOTATIONS, TRAIN_DIR

TYPES = frozenset({"IS_A", "VARIANT_OF", "EXTENDS", "REPLACES", "USES", "PART_OF", "REQUIRES", "SOLVES",
                   "COMPARED_WITH"})
MAX_EVIDENCE = 200
LINE_SLACK = 2  # evidence may sit this many lines from the cited one


def alias_key(text: str) -> str:
    """How aliases are compared: case, width, spaces and -_.·' ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch not in " -_·.'’")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def problems_of(annotation: dict, train_dir: Path = TRAIN_DIR) -> list[str]:
    """Every way the annotation breaks the format; empty when it is valid."""
    found: list[str] = []
    if annotation.get("exhaustive") is not True:
        found.append("'exhaustive' must be true")
    concepts = annotation.get("concepts", {})
    owner: dict[str, str] = {}
    for key, aliases in concepts.items():
        if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", key):
            found.append(f"concept key {key!r}: use short snake_case (a-z, 0-9, _)")
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
            found.append(f"concept {key}: aliases must be a non-empty list of non-empty strings")
            continue
        for alias in aliases:
            other = owner.setdefault(alias_key(alias), key)
            if other != key:
                found.append(f"alias {alias!r} belongs to both {other} and {key}")
    lines_of: dict[str, list[str]] = {}
    for name, meta in annotation.get("docs", {}).items():
        path = train_dir / "docs" / name
        if not path.exists():
            found.append(f"doc {name}: no such note in {train_dir / 'docs'}")
            continue
        data = path.read_bytes()
        if meta.get("bytes") != len(data) or meta.get("sha256") != hashlib.sha256(data).hexdigest():
            found.append(f"doc {name}: bytes/sha256 differ from the note")
        for field in ("repo", "commit", "path", "license"):
            if not meta.get(field):
                found.append(f"doc {name}: missing {field}")
        lines_of[name] = data.decode("utf-8").split("\n")
    seen: dict[frozenset[str], int] = {}
    for index, record in enumerate(annotation.get("relations", [])):
        found.extend(_record_problems(index, record, concepts, lines_of, seen))
    used = {record.get(side) for record in annotation.get("relations", []) for side in ("a", "b")}
    found.extend(f"concept {key} is used by no relation: drop it" for key in sorted(set(concepts) - used))
    return found


def _record_problems(index: int, record: dict, concepts: dict, lines_of: dict[str, list[str]],
                     seen: dict[frozenset[str], int]) -> list[str]:
    tag = f"relation #{index} ({record.get('a')} {record.get('rel')} {record.get('b')})"
    found = [f"{tag}: {side} is not a concept key" for side in ("a", "b") if record.get(side) not in concepts]
    if record.get("a") == record.get("b"):
        found.append(f"{tag}: a relation needs two different concepts")
    types = record.get("types") or []
    if record.get("rel") not in TYPES or record.get("rel") not in types or not set(types) <= TYPES:
        found.append(f"{tag}: rel must be one of the nine types and listed in types, and types only the nine")
    if len(set(types)) != len(types):
        found.append(f"{tag}: a type is repeated in types")
    if record.get("first") not in ("a", "b", None):
        found.append(f"{tag}: first must be \"a\", \"b\" or null")
    unknown = set(record) - {"a", "rel", "b", "types", "first", "doc", "line", "evidence"}
    if unknown:
        found.append(f"{tag}: unknown keys {sorted(unknown)}")
    lines = lines_of.get(record.get("doc", ""))
    if lines is None:
        return [*found, f"{tag}: doc {record.get('doc')!r} is not in docs"]
    evidence, line = record.get("evidence") or "", record.get("line")
    if not evidence or len(evidence) > MAX_EVIDENCE:
        found.append(f"{tag}: evidence must be 1 to {MAX_EVIDENCE} characters")
    if not isinstance(line, int) or not 1 <= line <= len(lines):
        return [*found, f"{tag}: line out of range"]
    window = squeeze(" ".join(lines[max(0, line - 1 - LINE_SLACK): line + LINE_SLACK]))
    if squeeze(evidence) not in window:
        found.append(f"{tag}: evidence is not verbatim within {LINE_SLACK} lines of line {line}")
    pair = frozenset((record.get("a"), record.get("b")))
    if pair in seen:
        found.append(f"{tag}: the pair is already recorded as relation #{seen[pair]}: keep one record per pair")
    seen.setdefault(pair, index)
    return found


def main(argv: list[str]) -> int:
    files = [Path(arg) for arg in argv] or sorted(ANNOTATIONS.glob("*.json"))
    failed = 0
    for path in files:
        problems = problems_of(json.loads(path.read_text(encoding="utf-8")))
        relations = len(json.loads(path.read_text(encoding="utf-8")).get("relations", []))
        print(f"{path.name}: {'OK' if not problems else f'{len(problems)} problem(s)'} ({relations} relations)")
        for problem in problems:
            print(f"  {problem}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
