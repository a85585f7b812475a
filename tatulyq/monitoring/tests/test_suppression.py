"""Small-cell suppression: an attacker who knows every shown figure, the rule ("<5" is 0–4,
"×" is 5 or more) and how the figures add up tries to recover each hidden small cell by
exhaustive search. Every hidden small cell must keep at least two possible values."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tatulyq.monitoring import suppression
from tatulyq.monitoring.suppression import PRIMARY, SECONDARY, THRESHOLD, Table


@st.composite
def hierarchies(draw):
    """A country of 1–3 regions, each with schools directly or in 1–2 districts, counts
    mostly small, and for each region a breakdown by sex; own (region-level) reports too."""
    values, equations, counter = {}, [], [0]

    def new(value):
        counter[0] += 1
        values[counter[0]] = value
        return counter[0]

    small = st.integers(min_value=0, max_value=12)
    region_ids = []
    for _region in range(draw(st.integers(1, 3))):
        children = []
        for _district in range(draw(st.integers(0, 2))):
            schools = [new(draw(small)) for _ in range(draw(st.integers(1, 3)))]
            own = draw(st.sampled_from([0, 0, 0, 2]))
            district = new(sum(values[s] for s in schools) + own)
            equations.append((district, schools, own))
            children.append(district)
        children += [new(draw(small)) for _ in range(draw(st.integers(0 if children else 1, 2)))]
        own = draw(st.sampled_from([0, 0, 3]))
        region = new(sum(values[c] for c in children) + own)
        equations.append((region, children, own))
        girls = draw(st.integers(0, values[region]))
        cells = [new(girls), new(values[region] - girls)]
        equations.append((region, cells, 0))
        region_ids.append(region)
    national = new(sum(values[r] for r in region_ids))
    equations.append((national, region_ids, 0))
    return Table(values=values, equations=equations)


def possible_values(table: Table, status: dict, target, cap: int) -> set[int]:
    """Every value the hidden cell `target` can take in some assignment consistent with
    everything published: a plain backtracking search, independent of the module."""
    hidden = [k for k in table.values if k in status]
    domains = {
        k: (range(0, THRESHOLD) if status[k] == PRIMARY else range(THRESHOLD, cap + 1)) for k in hidden
    }
    known = {k: v for k, v in table.values.items() if k not in status}
    found = set()
    order = sorted(hidden, key=lambda k: len(domains[k]))

    touching = {k: [e for e in table.equations if k == e[0] or k in e[1]] for k in hidden}

    def consistent(assign, key):
        value = {**known, **assign}
        for total, members, own in touching[key]:
            if total in value and all(m in value for m in members):
                if value[total] != sum(value[m] for m in members) + own:
                    return False
        return True

    def search(i, assign):
        if i == len(order):
            found.add(assign[target])
            return
        key = order[i]
        for v in domains[key]:
            if key == target and v in found:
                continue
            assign[key] = v
            if consistent(assign, key):
                search(i + 1, assign)
            del assign[key]

    search(0, {})
    return found


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies())
def test_suppressed_small_cells_cannot_be_recovered(table):
    status = suppression.suppress(table)
    primaries = [k for k, s in status.items() if s == PRIMARY]
    assert all(table.values[k] < THRESHOLD for k in primaries)
    assert all(table.values[k] >= THRESHOLD for k, s in status.items() if s == SECONDARY)
    assert all(k in status for k, v in table.values.items() if v < THRESHOLD)
    hidden = [k for k in status]
    if len(hidden) > 8:  # keep the exhaustive attack fast; hypothesis finds small cases anyway
        return
    cap = max(table.values.values()) + THRESHOLD
    for key in primaries:
        options = possible_values(table, status, key, cap)
        assert table.values[key] in options
        assert len(options) >= 2, f"cell {key} recovered as {options} from {table} with {status}"


def test_a_lone_small_cell_is_protected_by_a_second_one():
    table = Table(values={"total": 20, "a": 3, "b": 9, "c": 8}, equations=[("total", ["a", "b", "c"], 0)])
    status = suppression.suppress(table)
    assert status["a"] == PRIMARY
    assert status["c"] == SECONDARY  # the smallest cell of 6 or more
    assert "b" not in status and "total" not in status


def test_nothing_is_hidden_when_every_cell_is_large():
    table = Table(values={"total": 30, "a": 10, "b": 20}, equations=[("total", ["a", "b"], 0)])
    assert suppression.suppress(table) == {}
