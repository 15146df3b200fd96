"""The command that serves the HTTP API and the study page: serve."""

from __future__ import annotations

import errno
import json
import os
import socket
from typing import Annotated, Any

import typer

from cli.common import ADDRESS_UNAVAILABLE, STORE_ERROR, console, fail, refuse
from graph.errors import StoreUnavailable, StudygraphError
from graph.store import GraphStore, open_store
from settings import Settings, get_settings

commands = typer.Typer()

STARTUP_FAILURE = 3  # what uvicorn exits with when it cannot start (here 3 means "input refused": not passed on)
BACKLOG = 2048  # uvicorn's default


@commands.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback needs STUDYGRAPH_API_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 picks a free one).")] = 8000,
    insecure: Annotated[bool, typer.Option("--insecure", help="Allow a non-loopback bind without a write token.")] = False,
    workers: Annotated[int | None, typer.Option(min=1, max=64, help="Server processes (default: STUDYGRAPH_WORKERS, "
                                                "else 1); each holds the graph in memory.")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) on the configured store."""
    import uvicorn

    from api.app import create_app
    from api.connections import RESERVED_DESCRIPTORS, GuardedH11Protocol, connection_cap, raise_descriptor_limit
    from api.origins import is_loopback_host

    settings = get_settings()
    if not is_loopback_host(host) and settings.api_token is None and not insecure:
        raise refuse(f"refusing to serve on {host} without a write token: set STUDYGRAPH_API_TOKEN, bind to "
                     "127.0.0.1, or pass --insecure", 2)
    settings = answering_to(host, settings)
    # The port first, then the store: each stops `serve` with one line before the server starts, where uvicorn
    # would load the graph, say "Application startup complete", and only then find the port taken.
    listener = listening_socket(host, port)
    port = listener.getsockname()[1]
    store = readable_store(settings)
    processes = workers or settings.workers
    raise_descriptor_limit(settings.max_connections + RESERVED_DESCRIPTORS)
    if connection_cap() < settings.max_connections:
        console.print(f"note: the open-file limit leaves room for {connection_cap()} connections, fewer than "
                      f"STUDYGRAPH_MAX_CONNECTIONS={settings.max_connections} (raise it with `ulimit -n`)",
                      soft_wrap=True, markup=False)
    # h11, not httptools (uvicorn's default when installed): httptools keeps reading a request head of any size,
    # h11 gives up on one still incomplete past the cap, so a huge header line costs at most the cap and one read.
    # Uvicorn's h11 protocol with a deadline per request head and a cap on open connections (api/connections.py).
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "info", "proxy_headers": False,
                               "server_header": False, "http": GuardedH11Protocol,
                               "h11_max_incomplete_event_size": settings.max_header_bytes}
    console.print(f"serving {url(host, port)} (OpenAPI docs at /docs); Ctrl-C stops", soft_wrap=True, markup=False)
    try:
        if processes == 1:
            # The app gets the store already read (the embedded store keeps it: the first load costs nothing) and
            # the socket already bound, so nothing can take the port while the graph loads.
            config = uvicorn.Config(create_app(settings, store_factory=lambda: store), backlog=BACKLOG, **options)
            uvicorn.Server(config).run(sockets=[listener])
        else:
            # Each worker builds its own app from the same environment (an import string); uvicorn binds the
            # port again at once, before any worker loads a graph.
            store.close()
            listener.close()
            uvicorn.run("api.app:create_app", factory=True, workers=processes, **options)
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:
        if exc.code != STARTUP_FAILURE:
            raise
        listening_socket(host, port).close()  # one line, not uvicorn's traceback, when the port was taken meanwhile
        raise refuse("the server did not start: see the log above", 1) from exc


def answering_to(host: str, settings: Settings) -> Settings:
    """The settings with the bound address among the hosts the server answers to (requests naming any other host
    are refused, against DNS rebinding); a wildcard bind answers loopback names and STUDYGRAPH_ALLOWED_HOSTS only,
    which a note says."""
    import ipaddress

    from api.origins import is_loopback_host

    bare = host.strip("[]")
    try:
        wildcard = ipaddress.ip_address(bare).is_unspecified
    except ValueError:
        wildcard = False
    if is_loopback_host(bare) or bare.lower() in settings.allowed_hosts:
        return settings
    if wildcard:
        if not settings.allowed_hosts:
            console.print(f"note: bound to {host}, the server answers only requests naming localhost or a loopback "
                          "address: list the names clients use in STUDYGRAPH_ALLOWED_HOSTS "
                          "(e.g. '[\"notes.lan\", \"192.168.1.5\"]')", soft_wrap=True, markup=False)
        return settings
    allowed = [*settings.allowed_hosts, bare.lower()]
    os.environ["STUDYGRAPH_ALLOWED_HOSTS"] = json.dumps(allowed)  # worker processes read the environment
    get_settings.cache_clear()
    return settings.model_copy(update={"allowed_hosts": allowed})


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, made as uvicorn makes it (SO_REUSEADDR: a port the last run left in
    TIME_WAIT is free); when the address cannot be had, one line says which setting to change."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise refuse(f"cannot listen on {host!r} ({exc.strerror}): pass --host with an address of this machine",
                     ADDRESS_UNAVAILABLE) from exc
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(BACKLOG)  # connections made while the graph loads wait instead of being refused
    except OSError as exc:
        listener.close()
        raise refuse(bind_failure(host, port, exc), ADDRESS_UNAVAILABLE) from exc
    return listener


def bind_failure(host: str, port: int, exc: OSError) -> str:
    """What to change when the address cannot be bound."""
    where = url(host, port).removeprefix("http://")
    if exc.errno == errno.EADDRINUSE:
        return (f"{where} is already in use (another server?): stop it, or pick a free port with --port "
                "(STUDYGRAPH_PORT for scripts/demo.sh)")
    if exc.errno == errno.EACCES:
        return (f"not allowed to listen on {where} (ports below 1024 need root): pick another port with --port "
                "(STUDYGRAPH_PORT for scripts/demo.sh)")
    return f"cannot listen on {where} ({exc.strerror}): pass --host with an address of this machine"


def readable_store(settings: Settings) -> GraphStore:
    """The configured store, read once: an unreadable store or an unreachable Neo4j stops `serve` with one line
    naming the setting to change (the server itself would start and answer 503 until the store is back)."""
    setting = "STUDYGRAPH_NEO4J_URI" if settings.store == "neo4j" else "STUDYGRAPH_DATA_DIR"
    try:
        store = open_store(settings)
        held = store.document_hashes()
    except StudygraphError as exc:
        if "STUDYGRAPH_" in str(exc):
            raise fail(exc) from exc
        hint = "is the server running?" if isinstance(exc, StoreUnavailable) else "is it the right store?"
        raise refuse(f"{exc} ({hint} {setting} sets where it is)", STORE_ERROR) from exc
    except OSError as exc:  # the embedded store's directory is a file, or not ours to read
        raise refuse(f"cannot read the store in {settings.data_dir} ({exc.strerror}): set {setting} to a "
                     "directory you can read and write", STORE_ERROR) from exc
    if not held:
        where = settings.neo4j_uri if settings.store == "neo4j" else settings.data_dir
        console.print(f"note: the store ({setting}={where}) holds no notes yet: the page stays empty until some "
                      "are ingested (studygraph ingest, or POST /documents)", soft_wrap=True, markup=False)
    return store


def url(host: str, port: int) -> str:
    """The address to open: IPv6 hosts in brackets."""
    bare = host.strip("[]")
    return f"http://[{bare}]:{port}" if ":" in bare else f"http://{bare}:{port}"
