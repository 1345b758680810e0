"""Who is acting right now: set per web request by the middleware, "command line" otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

COMMAND_LINE = "command line"
WEB = "web"


@dataclass(frozen=True)
class Actor:
    user: Any  # a user, an AnonymousUser, or None
    via: str


_COMMAND_LINE_ACTOR = Actor(None, COMMAND_LINE)
_actor: ContextVar[Actor | None] = ContextVar("riskatlas_audit_actor", default=None)


def current_actor() -> Actor:
    return _actor.get() or _COMMAND_LINE_ACTOR


@contextmanager
def acting_as(user: Any, via: str = WEB) -> Iterator[None]:
    """Record changes made inside the block as ``user``'s."""
    token = _actor.set(Actor(user, via))
    try:
        yield
    finally:
        _actor.reset(token)
