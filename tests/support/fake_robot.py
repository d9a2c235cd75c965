"""A group-chat robot server on 127.0.0.1 for tests: records what it is sent, answers as told.

Not a mock of our code: our channels make real HTTP requests to it, the way they
would to 企业微信 or 钉钉.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    body: dict


@dataclass
class FakeRobot:
    """``answers[path]`` is a list of (status, json) consumed in order; the last one repeats."""

    answers: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    delay: float = 0.0  # seconds between receiving a message and answering (a slow robot)

    @property
    def url(self) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def answer(self, path: str, *responses: tuple[int, dict]) -> str:
        self.answers[path] = list(responses)
        return self.url + path

    def on(self, path: str) -> list[dict]:
        return [r.body for r in self.received if r.path.split("?")[0] == path]

    def start(self) -> FakeRobot:
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                robot.received.append(Received(self.path, body))
                time.sleep(robot.delay)
                queue = robot.answers.get(self.path.split("?")[0], [(200, {"errcode": 0, "errmsg": "ok"})])
                status, payload = queue.pop(0) if len(queue) > 1 else queue[0]
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
