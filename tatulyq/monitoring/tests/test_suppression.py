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


@st.composite
def hierarchies_with_areas(draw):
    """As `hierarchies`, each school urban, rural or not recorded (public knowledge), and
    for each region its urban and rural cells: the table to suppress, the cells with the
    schools they sum, and per region (cells, the nodes below it) for `withhold_linked`."""
    values, equations, counter = {}, [], [0]

    def new(value):
        counter[0] += 1
        values[counter[0]] = value
        return counter[0]

    small = st.integers(min_value=0, max_value=12)
    locality = st.sampled_from(["urban", "rural", "rural", ""])
    region_ids, areas_of, linked = [], {}, {}
    for _region in range(draw(st.integers(1, 2))):
        nodes, areas = [], {"urban": [], "rural": [], "": []}

        def school(nodes=nodes, areas=areas):
            key = new(draw(small))
            areas[draw(locality)].append(key)
            nodes.append(key)
            return key

        children = []
        for _district in range(draw(st.integers(0, 2))):
            schools = [school() for _ in range(draw(st.integers(1, 3)))]
            own = draw(st.sampled_from([0, 0, 0, 2]))
            district = new(sum(values[s] for s in schools) + own)
            equations.append((district, schools, own))
            children.append(district)
            nodes.append(district)
        children += [school() for _ in range(draw(st.integers(0 if children else 1, 2)))]
        own = draw(st.sampled_from([0, 0, 3]))
        region = new(sum(values[c] for c in children) + own)
        equations.append((region, children, own))
        region_ids.append(region)
        cells = {("c", region, area): sum(values[s] for s in areas[area]) for area in ("urban", "rural")}
        areas_of[region] = (cells, areas)
        linked[region] = (list(cells), nodes)
    national = new(sum(values[r] for r in region_ids))
    equations.append((national, region_ids, 0))
    return Table(values=values, equations=equations), areas_of, linked


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies_with_areas())
def test_small_cells_cannot_be_recovered_from_the_urban_and_rural_cells(case):
    """The attacker also knows which schools are urban and which rural, and every urban or
    rural cell published: such a cell is the sum of its schools and, with the schools not
    recorded and the region's own part, adds up to the region's total. Every hidden small
    cell keeps at least two possible values, and a published urban or rural cell is one
    the attacker could have summed from shown schools anyway."""
    table, areas_of, linked = case
    status = suppression.suppress(table)
    withheld = suppression.withhold_linked(status, linked)
    attack = Table(values=dict(table.values), equations=list(table.equations))
    for region, (cells, areas) in areas_of.items():
        if any(cell in withheld for cell in cells):
            assert all(withheld.get(cell) == suppression.WITHHELD for cell in cells)
            continue  # "…": no value, no bound; the cells add nothing to the equations
        for (_c, _region, area), value in cells.items():
            assert all(s not in status for s in areas[area])  # a sum of shown schools
            attack.values[("c", region, area)] = value
            attack.equations.append((("c", region, area), areas[area], 0))
        unrecorded = areas[""]
        members = [*cells, *unrecorded]
        known = table.values[region] - sum(attack.values[m] for m in members)
        attack.equations.append((region, members, known))
    if len(status) > 9:
        return
    cap = max(table.values.values()) + THRESHOLD
    for key in [k for k, s in status.items() if s == PRIMARY]:
        options = possible_values(attack, status, key, cap)
        assert table.values[key] in options
        assert len(options) >= 2, f"cell {key} recovered as {options} from {attack} with {status}"


def test_a_small_rural_cell_is_withheld_when_a_school_behind_it_is_hidden():
    """One urban school of 17, one rural of 3: the rural school is "<5", and the rural cell
    (or the region's total minus the urban cell) would give it away, so both are "…"."""
    table = Table(values={"region": 20, "u1": 17, "r1": 3}, equations=[("region", ["u1", "r1"], 0)])
    status = suppression.suppress(table)
    assert status["r1"] == PRIMARY
    linked = {"region": ([("c", "region", "urban"), ("c", "region", "rural")], ["u1", "r1"])}
    assert suppression.withhold_linked(status, linked) == {
        ("c", "region", "urban"): suppression.WITHHELD,
        ("c", "region", "rural"): suppression.WITHHELD,
    }


def test_urban_and_rural_cells_are_shown_when_every_school_behind_them_is():
    table = Table(values={"region": 30, "u1": 17, "r1": 13}, equations=[("region", ["u1", "r1"], 0)])
    status = suppression.suppress(table)
    assert status == {}
    linked = {"region": ([("c", "region", "urban"), ("c", "region", "rural")], ["u1", "r1"])}
    assert suppression.withhold_linked(status, linked) == {}
