"""The OpenAPI schema states this server's limits: what an upload and a graph file must hold, and the 431 any
request with an oversized head gets.

FastAPI derives a schema from route signatures, which know neither the settings (how many files, how many
bytes) nor what a notes file or a graph file must be; a schema without them promised that uploads the server
refuses were valid.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import GenerateJsonSchema

from api.limits import MAX_HEADER_FIELDS, max_upload_body
from graph.importing import GraphFile
from graph.normalize import PROFILE_NAME_PATTERN
from ingest.reader import MAX_NESTING, NOTE_SUFFIXES
from settings import Settings

# What a notes file's text may hold: no C0 control character but tab, line feed, form feed, carriage return and
# escape (the reader takes more than a few others for a binary file), and at least one visible character.
_CONTROLS = r"\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f"
NOTE_TEXT_PATTERN = rf"^[^{_CONTROLS}]*[^\u0000-\u0020][^{_CONTROLS}]*$"


def _any_case(text: str) -> str:
    r"""A pattern matching `text` in any letter case (JSON Schema patterns have no case-insensitive flag).

    >>> _any_case(".md")
    '\\.[Mm][Dd]'
    """
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in text)


NOTE_NAME_PATTERN = rf'filename="[^"]*(?:{"|".join(_any_case(s) for s in NOTE_SUFFIXES)})"'


def state_limits(app: FastAPI, settings: Settings) -> None:
    """Have `app.openapi()` state the limits of these settings."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        fresh = app.openapi_schema is None
        schema = build()  # built on the first call, then kept by FastAPI
        if fresh:
            _describe_uploads(schema, settings)
            _describe_graph_file(schema, settings)
            _describe_head_limit(schema, settings)
            _describe_origin_checks(schema)
            _describe_profile_names(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _describe_uploads(schema: dict[str, Any], settings: Settings) -> None:
    multipart = schema["paths"]["/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
    body = schema["components"]["schemas"][multipart["schema"]["$ref"].rsplit("/", 1)[-1]]
    body["properties"]["files"] = {
        "type": "array", "minItems": 1, "maxItems": settings.max_upload_files,
        "description": f"notes files, at most {settings.max_upload_files} (STUDYGRAPH_MAX_UPLOAD_FILES), each at "
                       f"most {settings.max_file_bytes:,} bytes (STUDYGRAPH_MAX_FILE_BYTES: a larger file is "
                       f"skipped and listed), the whole body at most "
                       f"{max_upload_body(settings.max_upload_files, settings.max_file_bytes):,} bytes (413)",
        "items": {
            "type": "string", "contentMediaType": "application/octet-stream", "pattern": NOTE_TEXT_PATTERN,
            "description": "Markdown or plain text: UTF-8 (a BOM allowed), UTF-16 with its BOM, or GB18030/GBK; "
                           "with a visible character, no NUL and no control character but tab, line feed, form "
                           f"feed, carriage return and escape; block quotes and lists nested at most {MAX_NESTING} "
                           "levels. A file that is not is skipped and listed; when none is left the answer is 422 "
                           "input_refused."},
    }
    multipart["encoding"] = {"files": {"headers": {"Content-Disposition": {
        "description": f"the file name ends in {', '.join(NOTE_SUFFIXES)} (any case; other files are skipped); "
                       "its relative path, cleaned, becomes the document id, and a second file of the same name "
                       "in one upload is skipped",
        "schema": {"type": "string", "pattern": NOTE_NAME_PATTERN},
        "example": 'form-data; name="files"; filename="notes/attention.md"'}}}}


class _GraphFileNames(GenerateJsonSchema):
    """Components named for the API's readers: the model's `_ConceptRow` becomes `GraphFileConcept`."""

    def normalize_name(self, name: str) -> str:
        name = super().normalize_name(name)
        return f"GraphFile{name.strip('_').removesuffix('Row')}" if name.startswith("_") else name


def _describe_graph_file(schema: dict[str, Any], settings: Settings) -> None:
    body = GraphFile.model_json_schema(ref_template="#/components/schemas/{model}", schema_generator=_GraphFileNames)
    schema["components"]["schemas"].update(body.pop("$defs"))
    body.update(title="GraphFile", description=(
        f"a graph file as GET /export writes it, at most {settings.max_file_bytes:,} bytes (STUDYGRAPH_MAX_FILE_BYTES; "
        "larger: 413); concept ids are unique, and every relation's source, target and first name one of them "
        "(else 422 input_refused)"))
    schema["paths"]["/import"]["post"]["requestBody"] = {"required": True,
                                                         "content": {"application/json": {"schema": body}}}


def _describe_head_limit(schema: dict[str, Any], settings: Settings) -> None:
    """Every operation may answer 431: the cap is on the request head, whatever the operation."""
    refused = {"description": f"request head over {settings.max_header_bytes:,} bytes (STUDYGRAPH_MAX_HEADER_BYTES) "
                              f"or with more than {MAX_HEADER_FIELDS} header fields (headers_too_large); a head "
                              "still arriving past the cap is cut off by `studygraph serve` with a plain-text 400",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation["responses"]["431"] = refused


def _describe_origin_checks(schema: dict[str, Any]) -> None:
    """Every operation may answer 421 (a Host that is not this server's), every write 403 (another site's page)."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    foreign_host = {"description": "the Host header names neither a loopback host nor one of STUDYGRAPH_ALLOWED_HOSTS "
                                   "(host_not_allowed)", "content": error}
    cross_site = {"description": "sent by a browser from a page of another origin than this server's or one of "
                                 "STUDYGRAPH_CORS_ORIGINS (cross_origin_write)", "content": error}
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            operation["responses"]["421"] = foreign_host
            if method not in ("get", "head", "options"):
                operation["responses"]["403"] = cross_site


def _describe_profile_names(schema: dict[str, Any]) -> None:
    """A profile name (path `name` under /profiles, query `profile`) holds a visible character and no control,
    line-separator or bidi/zero-width character (graph.normalize.profile_name refuses those with 422)."""
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "profile" or (parameter["name"] == "name" and path.startswith("/profiles/")):
                    target = parameter["schema"]
                    target = next((part for part in target.get("anyOf", []) if part.get("type") == "string"), target)
                    target["pattern"] = PROFILE_NAME_PATTERN
