"""Schemathesis against the app's own OpenAPI schema, all checks on: generated requests never get a 5xx, every
response matches what the schema promises (status codes, content types, bodies), schema-valid requests are
accepted and schema-violating ones refused."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.app import create_app
from graph.store.embedded import EmbeddedStore
from ingest.pipeline import ingest_paths
from settings import Settings
from tests.conftest import EXAMPLES

TOKEN = "schema-token"
# Built at import: schemathesis' lazy fixture loader does not run on pytest 9 (request.node._nodeid is gone).
_STORE_DIR = Path(tempfile.mkdtemp(prefix="studygraph-schemathesis-"))
atexit.register(shutil.rmtree, _STORE_DIR, True)


def _seeded_store() -> EmbeddedStore:
    """The example notes in a scratch store, ingested when the app's lifespan first opens it."""
    store = EmbeddedStore(_STORE_DIR)
    if not store.documents():
        store.replace_documents(ingest_paths([str(EXAMPLES)], 5_000_000, {}, [], extraction="rules").graphs)
    return store


app = create_app(Settings(data_dir=_STORE_DIR, api_token=TOKEN, max_file_bytes=64 * 1024), store_factory=_seeded_store)
# Any operation answers 431 to a request head over STUDYGRAPH_MAX_HEADER_BYTES, as the schema says: a limit on
# the sum of every parameter's length, which no parameter's schema can state (a long enough `known` list
# reaches it). It counts as refusing invalid data, and is allowed for valid data.
_CHECKS = {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "429",
                                                              "431", "5xx"]},
           "negative_data_rejection": {"expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "415",
                                                             "422", "428", "429", "431", "5xx"]}}
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=SchemathesisConfig.from_dict({"checks": _CHECKS}))
# The narrowest exclusions, each with its reason:
EXCLUDED = {
    # An upload whose files all match the schema is accepted, but one where only some do is accepted too, by
    # design (refused files are skipped and listed, the rest go in), and in multipart a `true` the negative
    # phase puts in place of a file is sent as a file holding the text "true", a valid note.
    ("POST", "/documents"): [negative_data_rejection],
    # A graph file's relations must name concepts the same file holds (a cross-reference JSON Schema cannot
    # state), so a schema-valid file may be refused (422).
    ("POST", "/import"): [positive_data_acceptance],
}


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_operation_keeps_its_schema_promises(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"},
                           excluded_checks=EXCLUDED.get((case.method, case.operation.path), []))
