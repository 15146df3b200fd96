"""The command that serves the HTTP API and the study page: serve."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from cli.common import errors
from settings import get_settings

commands = typer.Typer()


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

    settings = get_settings()
    if not is_loopback(host) and settings.api_token is None and not insecure:
        errors.print(f"[red]error:[/red] refusing to serve on {escape(host)} without a write token: set "
                     "STUDYGRAPH_API_TOKEN, bind to 127.0.0.1, or pass --insecure")
        raise typer.Exit(2)
    processes = workers or settings.workers
    # Several processes need the app as an import string: each worker builds its own from the same environment.
    app_or_factory = create_app(settings) if processes == 1 else "api.app:create_app"
    # h11, not httptools (uvicorn's default when installed): httptools keeps reading a request head of any size,
    # h11 gives up on one still incomplete past the cap, so a huge header line costs at most the cap and one read.
    uvicorn.run(app_or_factory, factory=processes > 1, workers=processes, host=host, port=port, log_level="info",
                proxy_headers=False, server_header=False, http="h11",
                h11_max_incomplete_event_size=settings.max_header_bytes)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost; every other address is reachable from the network."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
