"""A real HTTP server on 127.0.0.1 that records what it receives (a webhook, an ntfy server)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass
class Received:
    path: str
    headers: httpx.Headers  # case-insensitive, as HTTP's are
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Loopback:
    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 200

    def ids(self) -> list[str]:
        return [
            r.headers.get("Idempotency-Key") or r.headers.get("X-Steadymind-Id", "")
            for r in self.received
        ]


@contextmanager
def loopback_server() -> Iterator[Loopback]:
    lock = threading.Lock()
    state = Loopback(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                state.received.append(
                    Received(self.path, httpx.Headers(list(self.headers.items())), body)
                )
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
