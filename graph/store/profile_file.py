"""Learner profiles of the embedded store: a small state file per profile and its review history as JSON lines,
under `profiles/` beside the graph and a lock of their own, so profile writes neither wait for an ingest nor
change `graph.json` (whose revision tells servers to reload the graph).

A review appends one line to the history and rewrites only the small state (known concepts, goals, the FSRS
cards): one file holding every profile, parsed on every read and rewritten whole on every review, made a learner
with 20,000 reviews slow down every other learner's requests. The state names its history file and how many
bytes of it are committed, so a write killed while appending leaves a tail the next write cuts off; a history
that is not an extension of the stored one (a sync, a trimmed history) goes to a new file the state then names.
Reads are cached per state file (its identity changes with every commit).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path

import filelock
from pydantic import Field, TypeAdapter, ValidationError

from graph.errors import StoreCorrupt, StoreLocked
from graph.models import Model, Profile, Review
from graph.normalize import profile_name
from graph.store.durable_files import replace_file
from graph.store.protocol import ProfileChange

PROFILES_DIR = "profiles"
LEGACY_FILE = "profiles.json"  # every profile in one file (stores written before); moved over on the first write
TEMP_PREFIX = f".{LEGACY_FILE}-"  # temp files of profiles.json's writers (older versions), in the data directory
_REVIEW = TypeAdapter(Review)


class ProfileState(Model):
    """A profile's state file: the profile without its history, and where the committed history is."""

    profile: Profile
    history_file: str | None = None
    history_bytes: int = Field(default=0, ge=0)


class _LegacyFile(Model):
    profiles: dict[str, Profile] = Field(default_factory=dict)


def _key(name: str) -> str:
    """A file name for a profile name of any script: its digest (the name itself is inside the file)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class ProfileFile:
    """Profiles under `profiles/`: read through a cache, written under `profiles.lock`."""

    def __init__(self, data_dir: Path, lock_timeout: float) -> None:
        self.data_dir = data_dir
        self.directory = data_dir / PROFILES_DIR
        self.lock = filelock.FileLock(str(data_dir / "profiles.lock"), timeout=lock_timeout)
        self._cache: dict[str, tuple[tuple[int, int, int], Profile]] = {}

    # ---- reads ----
    def profile(self, name: str) -> Profile:
        stored = self._stored(name)
        if stored is not None:
            return stored
        return self._legacy().get(name) or Profile(name=name)

    def names(self) -> list[str]:
        names = set(self._legacy())
        if self.directory.is_dir():
            for path in self.directory.glob("*.json"):
                names.add(self._read_state(path).profile.name)
        return sorted(names)

    def _stored(self, name: str) -> Profile | None:
        path = self.directory / f"{_key(name)}.json"
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(name)
        if cached is not None and cached[0] == identity:
            return cached[1]
        state = self._read_state(path)
        profile = state.profile.model_copy(update={"history": self._read_history(state)})
        self._cache[name] = (identity, profile)
        return profile

    def _read_state(self, path: Path) -> ProfileState:
        try:
            return ProfileState.model_validate_json(path.read_bytes())
        except (ValidationError, ValueError) as exc:
            raise self._corrupt(path, exc) from exc

    def _read_history(self, state: ProfileState) -> list[Review]:
        if state.history_file is None:
            return []
        path = self.directory / state.history_file
        try:
            with path.open("rb") as history:
                committed = history.read(state.history_bytes)
            return [_REVIEW.validate_json(line) for line in committed.splitlines() if line.strip()]
        except (OSError, ValidationError, ValueError) as exc:
            raise self._corrupt(path, exc) from exc

    def _legacy(self) -> dict[str, Profile]:
        """The profiles of an older store's `profiles.json`, by their names as normalised now ('Me' and 'me' were
        two profiles then; the first wins). A name with invisible characters could never be asked for: left out."""
        path = self.data_dir / LEGACY_FILE
        try:
            stored = _LegacyFile.model_validate_json(path.read_bytes()).profiles
        except FileNotFoundError:
            return {}
        except (ValidationError, ValueError) as exc:
            raise self._corrupt(path, exc) from exc
        found: dict[str, Profile] = {}
        for raw, profile in stored.items():
            with contextlib.suppress(ValueError):
                name = profile_name(raw)
                found.setdefault(name, profile.model_copy(update={"name": name}))
        return found

    @staticmethod
    def _corrupt(path: Path, exc: Exception) -> StoreCorrupt:
        return StoreCorrupt(f"the store's {path.name} (in STUDYGRAPH_DATA_DIR/{PROFILES_DIR}) cannot be read "
                            f"({exc.__class__.__name__}); move it away to start that profile afresh")

    # ---- writes ----
    def update(self, name: str, change: ProfileChange) -> Profile:
        try:
            with self.lock:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._move_legacy_profiles()
                current = self.profile(name)
                changed = change(current).model_copy(update={"name": name})
                self._write(name, current, changed)
                return changed
        except filelock.Timeout as exc:
            raise StoreLocked("another process holds the profiles' lock (profiles.lock in STUDYGRAPH_DATA_DIR); "
                              "wait for it or raise STUDYGRAPH_LOCK_TIMEOUT_SECONDS") from exc

    def _write(self, name: str, current: Profile, changed: Profile) -> None:
        path = self.directory / f"{_key(name)}.json"
        stored = self._read_state(path) if path.exists() else ProfileState(profile=Profile(name=name))
        old = current.history
        appended = (stored.history_file is not None and len(changed.history) >= len(old)
                    and all(a is b or a == b for a, b in zip(old, changed.history, strict=False)))
        if appended:
            history_file = stored.history_file
            history_bytes = self._append(history_file, stored.history_bytes, changed.history[len(old):])  # type: ignore[arg-type]
        else:
            history_file = f"{_key(name)}-{secrets.token_hex(6)}.jsonl"
            history_bytes = self._append(history_file, 0, changed.history)
        state = ProfileState(profile=changed.model_copy(update={"history": []}), history_file=history_file,
                             history_bytes=history_bytes)
        replace_file(path, state.model_dump_json().encode())  # the commit
        stat = path.stat()
        self._cache[name] = ((stat.st_ino, stat.st_mtime_ns, stat.st_size), changed)
        for leftover in self.directory.glob(f"{_key(name)}-*.jsonl"):
            if leftover.name != history_file:  # replaced, or written by a write killed before its commit
                leftover.unlink(missing_ok=True)
        for torn in self.directory.glob(".*.tmp"):  # a state write killed before its rename; we hold the lock
            torn.unlink(missing_ok=True)

    def _append(self, file_name: str, committed: int, reviews: list[Review]) -> int:
        """Write `reviews` after the first `committed` bytes of the history file (cutting off what a killed
        write left past them) and make them durable; returns the new committed length."""
        path = self.directory / file_name
        payload = b"".join(_REVIEW.dump_json(review) + b"\n" for review in reviews)
        created = not path.exists()
        with path.open("r+b" if not created else "wb") as history:
            history.truncate(committed)
            history.seek(committed)
            history.write(payload)
            history.flush()
            os.fsync(history.fileno())
        if created:
            _fsync_directory(self.directory)
        return committed + len(payload)

    def _move_legacy_profiles(self) -> None:
        """Stores written before kept every profile in `profiles.json`: each gets its own files (unless a newer
        one exists already), then the old file is renamed aside, once, under the lock."""
        legacy = self.data_dir / LEGACY_FILE
        if not legacy.exists():
            return
        for name, profile in self._legacy().items():
            if not (self.directory / f"{_key(name)}.json").exists():
                self._write(name, Profile(name=name), profile)
        os.replace(legacy, self.data_dir / f"{LEGACY_FILE}.moved")
