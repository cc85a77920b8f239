# Copyright: oncall.pagerduty contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A scripted HTTP server on 127.0.0.1 for client tests: it answers with the
responses a test queues and records every request it receives."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


def decode(raw, content_type):
    """A request body as the test wants to see it: JSON decoded, a form as {name: value}, else None."""
    if not raw:
        return None
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {name: values[0] for name, values in parse_qs(raw.decode()).items()}
    return json.loads(raw)


class ScriptedServer:
    def __init__(self):
        self.replies = []
        self.requests = []
        self.default = (200, {}, {"ok": True})
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                server.requests.append({
                    "method": self.command,
                    "path": parts.path,
                    "query": parse_qs(parts.query),
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": decode(raw, self.headers.get("Content-Type") or ""),
                })
                reply = server.replies.pop(0) if server.replies else server.default
                if reply == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if callable(reply):
                    reply = reply(server.requests[-1])
                status, headers, body = reply
                if isinstance(body, bytes):
                    data = body
                else:
                    data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def reply(self, status=200, body=None, headers=None):
        self.replies.append((status, headers or {}, body))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture
def another_server():
    """A second scripted server (a proxy that must not be used, for example)."""
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture
def sleeps(monkeypatch):
    """Record the waits urllib3's retry makes instead of sleeping."""
    recorded = []
    import urllib3.util.retry as retry_module
    monkeypatch.setattr(retry_module.time, "sleep", recorded.append)
    return recorded
