"""Where computed indicators come from: one function per source, registered here.

A source computes, for many reporting organisations at once and one period, the values
of the indicators it owns: {organisation id: {(code, cell): value}}. The cases source
works for schools, the registry and grants sources for regions' education departments.
A source that is not installed (grants, until its app is merged) says so through
`available()`: its indicators stay empty and the summary states why, never a made-up 0.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Values = dict[int, dict[tuple[str, str], Decimal]]


@dataclass(frozen=True)
class SourceSpec:
    name: str
    compute: Callable[..., Values]
    available: Callable[[], bool]


def _registry() -> dict[str, SourceSpec]:
    from . import cases, directives, grants

    return {
        "cases": SourceSpec("cases", cases.compute, lambda: True),
        "directives": SourceSpec("directives", directives.compute, lambda: True),
        "grants": SourceSpec("grants", grants.compute, grants.available),
    }


def get(name: str) -> SourceSpec | None:
    return _registry().get(name)


def available(name: str) -> bool:
    spec = get(name)
    return spec is not None and spec.available()


def compute(name: str, *, organisations: list, period) -> Values:
    """Values of one source for these organisations; empty when the source is absent."""
    spec = get(name)
    if spec is None or not spec.available() or not organisations:
        return {}
    return spec.compute(organisations=organisations, period=period)
