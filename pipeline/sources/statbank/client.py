"""HTTP client for Danmarks Statistik's StatBank API (https://api.statbank.dk/v1).

Two calls are used: `POST /tableinfo` (metadata, JSON) and `POST /data` (format BULK). Both take a
JSON body, as DST recommends over URL parameters.

Retries are an explicit loop rather than `urllib3.Retry`: the rules are short (retry 5xx,
timeouts and broken connections with exponential backoff; never retry 4xx), POST is not
retried by urllib3 by default, and the loop can report exactly how many attempts were made and
what each one hit, which is what an operator reading a failed nightly run needs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import requests

from pipeline import __version__
from pipeline.sources.statbank.errors import (
    StatBankRequestError,
    StatBankResponseError,
    StatBankUnavailableError,
)
from pipeline.sources.statbank.request import DataRequest, validate_request
from pipeline.sources.statbank.tableinfo import TableInfo, parse_table_info

DEFAULT_BASE_URL = "https://api.statbank.dk/v1"
_USER_AGENT = f"noegletal/{__version__} (municipal child-protection key indicators)"
_ERROR_TEXT_LIMIT = 500

__all__ = [
    "DEFAULT_BASE_URL",
    "BulkAnswer",
    "DataRequest",
    "StatBankClient",
    "backoff_delays",
]


@dataclass(frozen=True)
class BulkAnswer:
    """One BULK answer exactly as received, with what is needed to save it as a snapshot."""

    table: str
    url: str
    request_body: dict[str, object]
    status: int
    body: bytes
    fetched_at: datetime
    table_info: TableInfo

    @property
    def text(self) -> str:
        """The body as text. A UTF-8 BOM, if DST sent one, is left for the parser to strip."""
        return self.body.decode("utf-8")


def backoff_delays(max_retries: int, backoff_seconds: float) -> tuple[float, ...]:
    """Seconds to wait before each retry: backoff, then twice it, four times it, …"""
    return tuple(backoff_seconds * 2**retry for retry in range(max_retries))


class StatBankClient:
    """A small, strict StatBank client: validated requests, bounded retries, DST's error text.

    `max_retries` counts retries after the first attempt, so at most `max_retries + 1` requests
    are sent. `timeout` applies to connecting and to each read (requests' semantics).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff_seconds: float = 1.0,
        session: requests.Session | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must not be negative")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._sleep = sleep
        self._table_info: dict[str, TableInfo] = {}

    def __enter__(self) -> StatBankClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session, if this client created it."""
        if self._owns_session:
            self._session.close()

    def table_info(self, table: str) -> TableInfo:
        """Metadata of `table`, fetched once per client (tables change at most daily)."""
        key = table.upper()
        if key not in self._table_info:
            response = self._post("tableinfo", {"table": table, "format": "JSON", "lang": "da"})
            try:
                # From bytes: json detects UTF-8 (with or without BOM) itself, whatever the
                # Content-Type header says or omits.
                payload = json.loads(response.content)
            except ValueError as exc:
                raise StatBankResponseError(
                    f"tableinfo for {table} is not JSON: {_excerpt(_decoded(response))}"
                ) from exc
            self._table_info[key] = parse_table_info(payload)
        return self._table_info[key]

    def fetch_bulk(self, request: DataRequest) -> str:
        """The BULK text for `request`, after validating the request against `tableinfo`."""
        return self.fetch_bulk_answer(request).text

    def fetch_bulk_answer(self, request: DataRequest) -> BulkAnswer:
        """Like `fetch_bulk`, but with the raw bytes and the facts a snapshot records."""
        info = self.table_info(request.table)
        validate_request(request, info)
        body = request.body()
        response = self._post("data", body)
        content = response.content
        _raise_if_error_document(content, request.table)
        return BulkAnswer(
            table=info.id,
            url=f"{self.base_url}/data",
            request_body=body,
            status=response.status_code,
            body=content,
            fetched_at=datetime.now(UTC),
            table_info=info,
        )

    def _post(self, endpoint: str, body: dict[str, object]) -> requests.Response:
        url = f"{self.base_url}/{endpoint}"
        table = body.get("table", "?")
        delays = backoff_delays(self.max_retries, self.backoff_seconds)
        failures: list[str] = []
        for attempt in range(1, self.max_retries + 2):
            try:
                response = self._session.post(
                    url,
                    json=body,
                    timeout=self.timeout,
                    headers={"User-Agent": _USER_AGENT, "Accept-Charset": "utf-8"},
                )
            except requests.Timeout:
                failures.append(f"attempt {attempt}: no answer within {self.timeout:g} s")
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                failures.append(f"attempt {attempt}: connection failed ({_reason(exc)})")
            except requests.RequestException as exc:
                # An invalid URL or similar: sending it again will not help.
                raise StatBankRequestError(f"Could not send the request to {url}: {exc}") from exc
            else:
                status = response.status_code
                if status < 300:
                    return response
                error_code, message = dst_error_text(response)
                if status < 500:  # 4xx, or a redirect requests did not follow
                    code_part = f" {error_code}" if error_code else ""
                    raise StatBankRequestError(
                        f"StatBank rejected the {endpoint} request for table {table} "
                        f"(HTTP {status}{code_part}): {message}",
                        status=status,
                        error_code=error_code,
                        dst_message=message,
                    )
                failures.append(f"attempt {attempt}: HTTP {status} ({message})")
            if attempt <= self.max_retries:
                self._sleep(delays[attempt - 1])
        attempts = self.max_retries + 1
        raise StatBankUnavailableError(
            f"StatBank {endpoint} for table {table} failed after {attempts} attempt"
            f"{'s' if attempts != 1 else ''} ({url}); last: {failures[-1]}",
            attempts=attempts,
            failures=tuple(failures),
        )


def dst_error_text(response: requests.Response) -> tuple[str | None, str]:
    """DST's error code and message from an error answer.

    The API answers errors as JSON, e.g. HTTP 400 with
    `{"errorTypeCode": "EXTRACT-NOTFOUND", "message": "Tabel findes ikke: X"}`; a proxy or an
    outage page may answer plain text or HTML instead, so both are handled.
    """
    text = _decoded(response).strip().lstrip("\ufeff")
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        message = payload.get("message") or payload.get("Message")
        code = payload.get("errorTypeCode") or payload.get("ErrorTypeCode")
        if isinstance(message, str) and message:
            return (code if isinstance(code, str) else None), message
    return None, _excerpt(text) or response.reason or "no error text"


def _raise_if_error_document(content: bytes, table: str) -> None:
    """Refuse a 2xx answer whose body is DST's JSON error document instead of BULK text."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return
    try:
        payload = json.loads(head)
    except ValueError:
        return
    if isinstance(payload, dict) and ("errorTypeCode" in payload or "message" in payload):
        message = str(payload.get("message", ""))
        code = payload.get("errorTypeCode")
        raise StatBankRequestError(
            f"StatBank answered the data request for table {table} with an error: {message}",
            error_code=code if isinstance(code, str) else None,
            dst_message=message,
        )
    raise StatBankResponseError(f"StatBank answered the data request for {table} with JSON")


def _decoded(response: requests.Response) -> str:
    # DST speaks UTF-8 (API documentation, "Generelt"); requests' guess from a header without a
    # charset could turn æ, ø and å in DST's messages into mojibake.
    return response.content.decode("utf-8", errors="replace")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _ERROR_TEXT_LIMIT:
        return text[:_ERROR_TEXT_LIMIT] + " …"
    return text


def _reason(exc: Exception) -> str:
    # requests nests urllib3's reason several levels deep; the innermost text is the useful one.
    reason: BaseException = exc
    while reason.args and isinstance(reason.args[0], BaseException):
        reason = reason.args[0]
    inner = getattr(reason, "reason", None)
    return str(inner if inner is not None else reason)
