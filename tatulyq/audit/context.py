"""Who is acting right now: set per request by the middleware, per command by hand."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    membership: object | None = None
    ip_address: str | None = None


_NOBODY = Actor()  # frozen, so sharing one default is safe
_current: ContextVar[Actor] = ContextVar("audit_actor", default=_NOBODY)  # noqa: B039


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
