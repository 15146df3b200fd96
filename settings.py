"""One settings object for every entry point (env prefix STUDYGRAPH_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the graph lives (embedded file or Neo4j) and how ingestion treats input files."""

    model_config = SettingsConfigDict(env_prefix="STUDYGRAPH_", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Path(".studygraph")
    max_file_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    lock_timeout_seconds: float = Field(default=120.0, gt=0)
    # The bundled glossary of ML names and aliases (ingest/lexicon); off, concepts come from the notes alone.
    lexicon: bool = True
    # How relations are read: "trained" (the shipped concept tagger and relation model) or "rules" (the cue rules
    # before training, kept for comparison).
    extraction: Literal["trained", "rules"] = "trained"
    # The learner profile study commands read known concepts from when none are given (`--profile` overrides it).
    profile: str = Field(default="me", min_length=1, max_length=100)
    # Neo4j (STUDYGRAPH_STORE=neo4j); the password default matches docker-compose.yml, for local use only.
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("studygraph-local")
    neo4j_database: str = "neo4j"
    # HTTP API (`studygraph serve`): writes need `Authorization: Bearer <token>` when a token is set.
    api_token: SecretStr | None = None
    # Origins (scheme://host[:port]) whose pages may call the API besides its own page: CORS and writes. Off
    # unless listed: a write a browser sends from any other page is refused (403 cross_origin_write).
    cors_origins: list[str] = Field(default_factory=list)
    # Host names (or addresses) the server answers to besides loopback ones (localhost, 127.0.0.0/8, ::1), for a
    # server reached over a network; "*" answers any (behind a proxy that checks Host itself). Requests naming
    # any other host are refused (421), so a web page cannot reach the server through DNS rebinding.
    allowed_hosts: list[str] = Field(default_factory=list)
    max_upload_files: int = Field(default=20, gt=0)
    # Uploads up to this many bytes in all are ingested before the response; larger ones become a job.
    sync_ingest_bytes: int = Field(default=256 * 1024, ge=0)
    # Seconds a request may pause between two pieces of its body before the server drops it (slow clients).
    body_read_timeout_seconds: float = Field(default=30.0, gt=0)
    # `serve`: a request head (request line and headers) must arrive whole within this many seconds of the
    # connection opening or of the previous response, or the connection is closed (slow clients holding sockets).
    head_timeout_seconds: float = Field(default=10.0, gt=0)
    # `serve`: open connections per server process; one more is answered 503 and closed at once.
    max_connections: int = Field(default=1000, ge=1)
    # The largest request head (request line and header fields) `serve` reads; a larger one is refused before
    # more of it is buffered. Below 1 KB a bearer token and the usual browser headers would not fit.
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    # Maps (`studygraph map`, /map): above this many concepts only the most connected are drawn, with a notice.
    map_node_cap: int = Field(default=800, gt=0)
    # `studygraph serve`: server processes; each holds the graph in memory and answers requests on its own core.
    workers: int = Field(default=1, ge=1, le=64)

    @field_validator("api_token", mode="before")
    @classmethod
    def _blank_token_is_no_token(cls, value: object) -> object:
        """`STUDYGRAPH_API_TOKEN=` (as `${VAR:-}` in compose files yields) sets no token: an empty string must not
        count as one, or a bare `Authorization: Bearer` would pass."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return None if isinstance(value, str) and not value.strip() else value


@lru_cache
def get_settings() -> Settings:
    """Cached settings; tests call `get_settings.cache_clear()` after changing the environment."""
    return Settings()
