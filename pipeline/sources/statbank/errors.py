"""What can go wrong when talking to Danmarks Statistik's StatBank, as exception types.

The split matters to the caller: a `StatBankRequestError` will fail again tomorrow until someone
changes the request (or DST changes the table), a `StatBankUnavailableError` may pass on its own,
and the other errors mean the answer or the saved snapshot is not what the API documents.
"""

from __future__ import annotations


class StatBankError(Exception):
    """Base class of every error this package raises about StatBank."""


class StatBankRequestError(StatBankError):
    """The request is wrong: rejected by DST (HTTP 4xx) or by validation against `tableinfo`.

    Never retried: the same request gets the same answer. `dst_message` holds Danmarks
    Statistik's own error text when the API sent one, so the operator sees what DST said.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        dst_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.dst_message = dst_message


class StatBankUnavailableError(StatBankError):
    """StatBank gave no usable answer in any allowed attempt (5xx, timeout, no connection)."""

    def __init__(self, message: str, *, attempts: int, failures: tuple[str, ...]) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.failures = failures


class StatBankResponseError(StatBankError):
    """StatBank answered 2xx, but not in the shape its documentation describes."""


class BulkFormatError(StatBankError):
    """A BULK text (live answer or snapshot) cannot be read as the table it claims to be."""


class SnapshotError(StatBankError):
    """An offline snapshot is missing, or its CSV does not match the request JSON beside it."""


class SnapshotMissingError(SnapshotError):
    """There is no snapshot for the table at all (no CSV in the StatBank folder)."""
