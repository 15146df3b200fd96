"""One settings object for every entry point (env prefix STUDYGRAPH_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the graph lives and how ingestion treats input files."""

    model_config = SettingsConfigDict(env_prefix="STUDYGRAPH_", extra="ignore")

    store: Literal["embedded"] = "embedded"
    data_dir: Path = Path(".studygraph")
    max_file_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    lock_timeout_seconds: float = Field(default=120.0, gt=0)


@lru_cache
def get_settings() -> Settings:
    """Cached settings; tests call `get_settings.cache_clear()` after changing the environment."""
    return Settings()
