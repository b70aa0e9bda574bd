"""A local stand-in for api.statbank.dk: a threaded HTTP server on 127.0.0.1 with scripted answers.

The recorded answers in `answers/` follow the shape of DST's real `tableinfo` JSON (fields, case of
variable ids, `Tid` as the time variable). Their value lists are trimmed; the variable ids of
ANBAAR12, ANBAAR9 and BU43 are those SPEC §6 gives, not copies of live answers.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ANSWERS = Path(__file__).parent / "answers"

BOM = b"\xef\xbb\xbf"

# BULK answers as DST writes them with lang=da and valuePresentation=Code (LF here; tests add
# the BOM / CRLF variants). 101 has a suppressed value; 084 (region) and 000 (all Denmark) are
# in the answer because OMRÅDE=* selects them.
FOLK1A_BULK = (
    "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n"
    "000;TOT;0;TOT;2024K1;57120\n"
    "000;TOT;1;TOT;2024K1;58311\n"
    "084;TOT;0;TOT;2024K1;21004\n"
    "101;TOT;0;TOT;2024K1;8012\n"
    "101;TOT;1;TOT;2024K1;..\n"
    "330;TOT;0;TOT;2024K1;702\n"
    "330;TOT;1;TOT;2024K1;688\n"
    "101;TOT;0;TOT;2023K4;7990\n"
)
ANBAAR12_BULK = (
    "ADMKOM;ANBRINGELSE;TID;INDHOLD\n"
    "000;TOT;2023;11013\n"
    "101;TOT;2023;1120\n"
    "101;21;2023;514\n"
    "101;9;2023;..\n"
    "330;21;2023;118\n"
    "998;TOT;2023;7\n"
    "330;21;2022;121\n"
)
ANBAAR9_BULK = (
    "ADMKOM;ALERAMS;TID;INDHOLD\n"
    "0;0;2023;13402\n"
    "101;9917;2023;980\n"
    "101;1822;2023;140\n"
    "330;9917;2023;..\n"
    "998;0;2023;9\n"
)
BU43_BULK = (
    "OMRÅDE;FORANSTALT;ALDER;TID;INDHOLD\n"
    "000;ANBR;9917;2023;0,9\n"
    "081;ANBR;9917;2023;1,1\n"
    "101;ANBR;9917;2023;1,2\n"
    "101;FORB;9917;2023;3,45\n"
    "860;ANBR;9917;2023;..\n"
    "860;IALT;TOT22;2022;4,0\n"
)
BULK = {
    "FOLK1A": FOLK1A_BULK,
    "ANBAAR12": ANBAAR12_BULK,
    "ANBAAR9": ANBAAR9_BULK,
    "BU43": BU43_BULK,
}


def tableinfo(table: str) -> dict[str, object]:
    return json.loads((ANSWERS / f"{table}.tableinfo.json").read_text(encoding="utf-8"))


def dst_error(code: str, message: str) -> bytes:
    """DST's error document, as the API sends it with HTTP 400."""
    return json.dumps({"errorTypeCode": code, "message": message}, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/csv; charset=utf-8"
    delay: float = 0.0


def json_reply(payload: object, status: int = 200) -> Reply:
    return Reply(
        status=status,
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )


class StandIn:
    """Scripted answers per endpoint: queued replies first, then the endpoint's default."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[Reply]] = defaultdict(deque)
        self._defaults: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, object]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def serve(self, endpoint: str, reply: Reply) -> None:
        """Answer every request to `endpoint` with `reply` once its queue is empty."""
        self._defaults[endpoint] = reply

    def queue(self, endpoint: str, *replies: Reply) -> None:
        """Answer the next requests to `endpoint` with these replies, in order."""
        self._queues[endpoint].extend(replies)

    def serve_table(self, table: str, bulk: bytes | None = None) -> None:
        """tableinfo for `table`, and its BULK answer (default: the one above, as UTF-8)."""
        self.serve("tableinfo", json_reply(tableinfo(table)))
        self.serve("data", Reply(body=bulk if bulk is not None else BULK[table].encode()))

    def hits(self, endpoint: str) -> int:
        return sum(1 for path, _ in self.requests if path == endpoint)

    def bodies(self, endpoint: str) -> list[dict[str, object]]:
        return [body for path, body in self.requests if path == endpoint]

    def _next_reply(self, endpoint: str) -> Reply:
        with self._lock:
            queue = self._queues[endpoint]
            if queue:
                return queue.popleft()
        return self._defaults.get(endpoint, Reply(status=404, body=b"not scripted"))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                endpoint = self.path.rsplit("/", 1)[-1]
                with stand_in._lock:
                    stand_in.requests.append((endpoint, body))
                reply = stand_in._next_reply(endpoint)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
