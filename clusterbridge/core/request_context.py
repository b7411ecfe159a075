"""The request id of the work in progress, so that history entries written by any service
call can be tied to the request (or command run) that caused them."""

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_request_id: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "clusterbridge_request_id", default=None
)


def current_request_id() -> uuid.UUID:
    """The id of the current request; outside any request, a fresh id per call site run."""
    value = _request_id.get()
    if value is None:
        value = uuid.uuid4()
        _request_id.set(value)
    return value


@contextmanager
def request_id_scope(value: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    token = _request_id.set(value or uuid.uuid4())
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)
