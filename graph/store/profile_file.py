"""Learner profiles of the embedded store: `profiles.json` beside the graph, under a lock of its own, so profile
writes neither wait for an ingest nor change `graph.json` (whose revision tells servers to reload the graph)."""

from __future__ import annotations

from pathlib import Path

import filelock
from pydantic import Field, ValidationError

from graph.errors import StoreCorrupt, StoreLocked
from graph.models import Model, Profile
from graph.store.durable_files import replace_file
from graph.store.protocol import ProfileChange

PROFILES_FILE = "profiles.json"
TEMP_PREFIX = f".{PROFILES_FILE}-"  # `replace_file`'s temp files for it: only a profile writer may remove them


class ProfilesFile(Model):
    """`profiles.json`: every profile by name."""

    profiles: dict[str, Profile] = Field(default_factory=dict)


class ProfileFile:
    """Read-modify-write of `profiles.json` under `profiles.lock`; each write renames a whole new file in place."""

    def __init__(self, data_dir: Path, lock_timeout: float) -> None:
        self.data_dir = data_dir
        self.path = data_dir / PROFILES_FILE
        self.lock = filelock.FileLock(str(data_dir / "profiles.lock"), timeout=lock_timeout)

    def _read(self) -> ProfilesFile:
        try:
            return ProfilesFile.model_validate_json(self.path.read_bytes())
        except FileNotFoundError:
            return ProfilesFile()
        except (ValidationError, ValueError) as exc:
            raise StoreCorrupt(f"the store's {self.path.name} (in STUDYGRAPH_DATA_DIR) cannot be read "
                               f"({exc.__class__.__name__}); move it away to start the profiles afresh") from exc

    def profile(self, name: str) -> Profile:
        return self._read().profiles.get(name) or Profile(name=name)

    def names(self) -> list[str]:
        return sorted(self._read().profiles)

    def update(self, name: str, change: ProfileChange) -> Profile:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with self.lock:
                stored = self._read()
                changed = change(stored.profiles.get(name) or Profile(name=name)).model_copy(update={"name": name})
                stored.profiles[name] = changed
                replace_file(self.path, stored.model_dump_json(indent=1).encode())
                for torn in self.data_dir.glob(f"{TEMP_PREFIX}*.tmp"):  # a write killed before its rename
                    torn.unlink(missing_ok=True)
                return changed
        except filelock.Timeout as exc:
            raise StoreLocked("another process holds the profiles' lock (profiles.lock in STUDYGRAPH_DATA_DIR); "
                              "wait for it or raise STUDYGRAPH_LOCK_TIMEOUT_SECONDS") from exc
