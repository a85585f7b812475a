"""Small-cell suppression with secondary suppression, for figures about children.

Above school level a count under 5 (0 included) is shown as "<5" (primary). Because
totals are published too, some other cells must be hidden as well (secondary, shown as
"×" and known only to be 5 or more), so that no total minus the shown cells pins a
hidden one down.

The published figures form equations: a node's value is its children's values plus
what its own organisations reported (taken as known, the pessimistic assumption), and
a region's breakdown cells (by sex, by age band) add up to its total. The tree of
nodes and the breakdowns hanging off region nodes make these equations Berge-acyclic,
and every domain is an integer interval ([0, 4], [5, ∞), [0, ∞) for "…", or a shown
value), so bounds propagation to a fixpoint gives exactly what an attacker can deduce.
Suppression adds secondary cells until no hidden cell is left with a single possible
value; the property tests in tests/test_suppression.py attack the result with an
integer-programming solver.

A region's urban and rural cells are not in these equations: they are sums of schools
(whose locality is public) and would close cycles; `withhold_linked` publishes them only
where every node they sum is shown.

Two views are published, "approved only" and "all data"; their difference is the part
received but not yet accepted, over other schools (a report is in one state at a time).
Each part is suppressed as a table of its own, and `combine` derives the "all data" view
from the two so that it tells nothing the two parts would not (see its docstring).
"""

from collections.abc import Hashable
from dataclasses import dataclass, field

THRESHOLD = 5
BIG = 10**12
PRIMARY, SECONDARY, WITHHELD = "primary", "secondary", "withheld"


@dataclass
class Table:
    """values: every published cell's true value; equations: (total, members, known own part)."""

    values: dict[Hashable, int]
    equations: list[tuple[Hashable, list[Hashable], int]] = field(default_factory=list)


def _domain(value: int, status: str | None) -> tuple[int, int]:
    if status == PRIMARY:
        return 0, THRESHOLD - 1
    if status == SECONDARY:
        return THRESHOLD, BIG
    if status == WITHHELD:
        return 0, BIG
    return value, value


def bounds(table: Table, status: dict) -> dict[Hashable, tuple[int, int]]:
    """What can be deduced about each hidden cell from the shown ones and the equations."""
    lo, hi = {}, {}
    for key, value in table.values.items():
        lo[key], hi[key] = _domain(value, status.get(key))
    changed = True
    while changed:
        changed = False
        for total, members, own in table.equations:
            # total - sum(members) = own
            members_lo = sum(lo[m] for m in members)
            members_hi = sum(hi[m] for m in members)
            new_lo, new_hi = max(lo[total], members_lo + own), min(hi[total], members_hi + own)
            if (new_lo, new_hi) != (lo[total], hi[total]):
                lo[total], hi[total], changed = new_lo, new_hi, True
            for m in members:
                rest_lo, rest_hi = members_lo - lo[m], members_hi - hi[m]
                m_lo = max(lo[m], lo[total] - own - rest_hi)
                m_hi = min(hi[m], hi[total] - own - rest_lo)
                if (m_lo, m_hi) != (lo[m], hi[m]):
                    members_lo += m_lo - lo[m]
                    members_hi += m_hi - hi[m]
                    lo[m], hi[m], changed = m_lo, m_hi, True
    return {key: (lo[key], hi[key]) for key in table.values}


def _pick(table: Table, status: dict, candidates: list[Hashable]) -> Hashable | None:
    """The smallest shown cell of 5 or more, preferring 6 or more (a 5 leaves no slack)."""
    free = [c for c in candidates if c not in status and table.values[c] >= THRESHOLD]
    if not free:
        return None
    return min(free, key=lambda c: (table.values[c] < THRESHOLD + 1, table.values[c]))


def suppress(table: Table) -> dict[Hashable, str]:
    """{cell: "primary" | "secondary" | "withheld"}; cells not in it are shown."""
    status = {key: PRIMARY for key, value in table.values.items() if value < THRESHOLD}
    involving: dict[Hashable, list[int]] = {}
    for index, (total, members, _own) in enumerate(table.equations):
        for key in (total, *members):
            involving.setdefault(key, []).append(index)
    # Each round hides a cell or turns one "×" or "<5" into "…": at most three per cell.
    for _round in range(3 * len(table.values) + 1):
        found = bounds(table, status)
        pinned = [key for key in status if found[key][0] == found[key][1]]
        if not pinned:
            return status
        progress = False
        for key in pinned:
            # Prefer hiding a sibling (an equation where the pinned cell is a member),
            # then a member of its own equation, then the total above it.
            options = []
            for index in involving.get(key, []):
                total, members, _own = table.equations[index]
                rank = 0 if key in members else 1
                options.append((rank, [m for m in members if m != key], total))
            options.sort(key=lambda option: option[0])
            choice = None
            for _rank, members, total in options:
                choice = _pick(table, status, members)
                if choice is None and total != key and total not in status:
                    choice = total
                if choice is not None:
                    break
            if choice is not None:
                status[choice] = SECONDARY
                progress = True
        if not progress:
            # Every cell around is hidden and the marks still pin a cell: "<5" cells that
            # must add up to what "×" cells (5 or more) and a known own part force. Turn
            # the "×" of its connected equations into "…" (no bound at all), and if that
            # was done already, its "<5" cells too.
            component = _connected(table, involving, pinned[0])
            for state in (SECONDARY, PRIMARY):
                marked = [k for k in component if status.get(k) == state]
                if marked:
                    status.update({k: WITHHELD for k in marked})
                    break
            else:
                return status
    return status


def _connected(table: Table, involving: dict, start: Hashable) -> set:
    """Every cell linked to `start` through the equations."""
    seen, todo = {start}, [start]
    while todo:
        for index in involving.get(todo.pop(), []):
            total, members, _own = table.equations[index]
            for key in (total, *members):
                if key not in seen:
                    seen.add(key)
                    todo.append(key)
    return seen


def withhold_linked(status: dict, linked: dict) -> dict[Hashable, str]:
    """Breakdown cells that are also sums of published nodes (a region's urban or rural
    cell is the sum of its urban or rural schools' totals, and a school's locality is
    public): {cell: "withheld"} for every group whose nodes are not all shown.

    Such a cell closes cycles with the tree (an urban cell equal to a district's total,
    the total minus the rural cell equal to another's), which bounds propagation cannot
    follow, so the cell is never an equation of the table. Where every node it sums is
    shown, it is their sum, known already, and shown; otherwise it is withheld ("…", not
    even "<5" or "×") and tells nothing: the suppression of the rest is that of the table.
    linked: {group: (cells, the nodes they are sums of)}."""
    hidden = {}
    for cells, nodes in linked.values():
        if any(node in status for node in nodes):
            hidden.update({cell: WITHHELD for cell in cells})
    return hidden


def combine(*parts: tuple[dict, set]) -> dict[Hashable, str]:
    """The hidden cells of a sum of tables that share no unknown — the accepted and the
    pending part of a quarter, or the quarters of a year — from each table's own
    suppression. A part: (its hidden cells, every cell it has); a cell a part lacks is a
    known 0 (nobody reported in that part).

    A sum is shown only where every part is shown, so every shown sum is one an attacker
    could add up from the parts; a hidden sum's mark says no more than the parts' marks:
    "<5" where one part is "<5" and the others known zeros, "×" where a part is shown or
    "×" (the sum is 5 or more either way), and "…" where two parts or more are "<5" and
    none more — there "<5" or "×" would say whether they add up to under 5, which no
    part says. The parts share no unknown, so an attacker of the sums and the parts is
    no stronger than one of each part on its own, and each part's suppression protects
    it (tests/test_suppression.py attacks the approved and "all data" views together)."""
    hidden = {}
    for key in set().union(*(status for status, _cells in parts)):
        states = [status.get(key) for status, cells in parts if key in cells or key in status]
        if WITHHELD in states:
            hidden[key] = WITHHELD
        elif SECONDARY in states or None in states:
            hidden[key] = SECONDARY  # a part of 5 or more, shown or not
        elif len(states) == 1:
            hidden[key] = PRIMARY
        else:
            hidden[key] = WITHHELD
    return hidden
