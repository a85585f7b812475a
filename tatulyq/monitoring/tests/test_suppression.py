"""Small-cell suppression: an attacker who knows every shown figure, the rule ("<5" is 0–4,
"×" is 5 or more, "…" nothing) and how the figures add up tries to recover each hidden
small cell, with an integer-programming solver that finds its smallest and largest
possible value exactly. Every hidden small cell must keep at least two possible values."""

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


CAP = 10**6  # a finite bound: HiGHS's presolve has been seen to cut off feasible points
# beside an infinite row bound, so it is also switched off


def _range_of(objective: dict, variables: list, constraints: list) -> tuple[int, int]:
    """Smallest and largest value of sum(objective) over the integer points of the
    constraints: an attacker with an integer-programming solver (HiGHS, through SciPy)."""
    import numpy as np
    from scipy.optimize import LinearConstraint, milp

    index = {v: i for i, v in enumerate(variables)}
    matrix = np.zeros((len(constraints), len(variables)))
    lower, upper = np.empty(len(constraints)), np.empty(len(constraints))
    for row, (terms, lo, hi) in enumerate(constraints):
        for variable, coefficient in terms.items():
            matrix[row, index[variable]] += coefficient
        lower[row], upper[row] = lo, hi
    cost = np.zeros(len(variables))
    for variable, coefficient in objective.items():
        cost[index[variable]] = coefficient
    found = []
    for sign in (1, -1):
        result = milp(
            sign * cost,
            constraints=LinearConstraint(matrix, lower, upper),
            integrality=np.ones(len(variables)),
            bounds=(0, CAP),
            options={"presolve": False},
        )
        assert result.success, result.message
        found.append(round(sign * result.fun))
    return found[0], found[1]


def _marks(constraints, terms, state, value):
    """The constraint a published cell puts on the sum of `terms`."""
    if state is None:
        constraints.append((terms, value, value))
    elif state == PRIMARY:
        constraints.append((terms, 0, THRESHOLD - 1))
    elif state == SECONDARY:
        constraints.append((terms, THRESHOLD, CAP))
    # "…": nothing


def equations_and_marks(table: Table, status: dict, name=None) -> list:
    """What the attacker knows of one published table: its equations and every cell's
    shown value or mark. `name` tells tables apart whose cells share keys."""
    constraints = []
    for total, members, own in table.equations:
        terms = {(name, total): 1}
        for m in members:
            terms[(name, m)] = terms.get((name, m), 0) - 1
        constraints.append((terms, own, own))
    for key, value in table.values.items():
        _marks(constraints, {(name, key): 1}, status.get(key), value)
    return constraints


def assert_small_cells_keep_two_values(table: Table, status: dict, constraints: list, context) -> None:
    """Every cell of `table` under 5 is hidden and has two possible values at least."""
    variables = sorted({v for terms, _lo, _hi in constraints for v in terms}, key=repr)
    for key, value in table.values.items():
        if value < THRESHOLD:
            assert key in status
            low, high = _range_of({(None, key): 1}, variables, constraints)
            assert low <= value <= high
            assert low < high, f"cell {key} recovered as {value} from {context} with {status}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies())
def test_suppressed_small_cells_cannot_be_recovered(table):
    status = suppression.suppress(table)
    assert all(table.values[k] < THRESHOLD for k, s in status.items() if s == PRIMARY)
    assert all(table.values[k] >= THRESHOLD for k, s in status.items() if s == SECONDARY)
    assert_small_cells_keep_two_values(table, status, equations_and_marks(table, status), table)


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
    assert_small_cells_keep_two_values(table, status, equations_and_marks(attack, status), attack)


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


# ------------------------------------------------ the two views: approved only, all data


@st.composite
def two_part_hierarchies(draw):
    """A country whose schools' reports are each accepted or still pending (who is which
    is public): the table of the accepted part and of the pending part, with the same
    keys, each holding only the nodes someone reported to in that part; a breakdown by
    sex for each region; a region's own report in one of the parts."""
    parts = {"a": ({}, []), "p": ({}, [])}
    counter = [0]
    small = st.integers(min_value=0, max_value=12)

    def key():
        counter[0] += 1
        return ("n", counter[0])

    def node(children_by_part, own_by_part):
        """A total over children; present in a part when a child or its own report is."""
        name = key()
        for part, (values, equations) in parts.items():
            kids = [c for c in children_by_part if c in values]
            own = own_by_part.get(part)
            if kids or own is not None:
                values[name] = sum(values[c] for c in kids) + (own or 0)
                equations.append((name, kids, own or 0))
        return name

    regions = []
    for _region in range(draw(st.integers(1, 2))):
        children = []
        for _district in range(draw(st.integers(0, 2))):
            schools = []
            for _school in range(draw(st.integers(1, 3))):
                school = key()
                parts[draw(st.sampled_from(["a", "a", "p"]))][0][school] = draw(small)
                schools.append(school)
            children.append(node(schools, {}))
        for _school in range(draw(st.integers(0 if children else 1, 2))):
            school = key()
            parts[draw(st.sampled_from(["a", "p"]))][0][school] = draw(small)
            children.append(school)
        # A region's own report, taken as known (the module's pessimistic assumption), in
        # a part where the region has children too: alone, it would be public anyway.
        with_children = [part for part, (values, _e) in parts.items() if any(c in values for c in children)]
        own = {draw(st.sampled_from(with_children)): 3} if draw(st.booleans()) else {}
        region = node(children, own)
        regions.append(region)
        for values, equations in parts.values():
            if region in values:
                girls = draw(st.integers(0, values[region]))
                cells = [("c", region, "f"), ("c", region, "m")]
                values[cells[0]], values[cells[1]] = girls, values[region] - girls
                equations.append((region, cells, 0))
    node(regions, {})
    return Table(*parts["a"]), Table(*parts["p"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_part_hierarchies())
def test_the_approved_and_the_all_data_views_together_give_no_small_cell_away(tables):
    """The attacker holds both views of a quarter: "approved only" (the accepted part,
    suppressed on its own) and "all data" (suppression.combine of both parts), with every
    shown figure, every "<5" and "×", and who reported in which part. Unknowns: every
    cell of both parts. Every small cell — of the accepted part, of the pending part (the
    difference of the views), and a small sum — keeps at least two possible values."""
    approved, pending = tables
    status_a, status_p = suppression.suppress(approved), suppression.suppress(pending)
    status_all = suppression.combine((status_a, approved.values), (status_p, pending.values))
    # The approved view; the pending part's equations (never published on its own).
    constraints = equations_and_marks(approved, status_a, "a")
    constraints += equations_and_marks(Table(values={}, equations=pending.equations), {}, "p")
    sums = {}
    for k in set(approved.values) | set(pending.values):
        terms = {(name, k): 1 for name, table in (("a", approved), ("p", pending)) if k in table.values}
        value = approved.values.get(k, 0) + pending.values.get(k, 0)
        sums[k] = (terms, value)
        _marks(constraints, terms, status_all.get(k), value)  # the "all data" view
        if value < THRESHOLD:
            assert k in status_all
    variables = sorted({v for terms, _lo, _hi in constraints for v in terms}, key=repr)
    targets = [({("a", k): 1}, v) for k, v in approved.values.items() if v < THRESHOLD]
    targets += [({("p", k): 1}, v) for k, v in pending.values.items() if v < THRESHOLD]
    targets += [(terms, v) for terms, v in sums.values() if v < THRESHOLD and len(terms) > 1]
    for terms, value in targets:
        low, high = _range_of(terms, variables, constraints)
        assert low <= value <= high
        assert low < high, f"{terms} = {value} recovered from {tables} with {status_a}, {status_all}"


def test_a_single_pending_school_is_not_given_away_by_differencing_the_views():
    """A district of 11 approved and one school of 1 pending: shown side by side, 12 and
    11 would give the pending school's 1 away; "all data" hides the district."""
    approved = Table(values={"d": 11, "s1": 11}, equations=[("d", ["s1"], 0)])
    pending = Table(values={"d": 1, "s2": 1}, equations=[("d", ["s2"], 0)])
    status_a, status_p = suppression.suppress(approved), suppression.suppress(pending)
    combined = suppression.combine((status_a, approved.values), (status_p, pending.values))
    assert combined["s2"] == PRIMARY  # the school's own "<5": nobody else is in it
    assert combined["d"] == SECONDARY  # 12 is 5 or more, but hidden


def test_two_small_parts_are_withheld_not_marked():
    """3 approved and 1 pending: "<5" would tell that the parts add up to under 5, which
    neither part's own "<5" tells; the sum is "…"."""
    combined = suppression.combine(({"d": PRIMARY}, {"d"}), ({"d": PRIMARY}, {"d"}))
    assert combined == {"d": suppression.WITHHELD}
    assert suppression.combine(({"d": PRIMARY}, {"d"}), ({}, set())) == {"d": PRIMARY}
    assert suppression.combine(({"d": PRIMARY}, {"d"}), ({}, {"d"})) == {"d": SECONDARY}
    assert suppression.combine(({"d": PRIMARY}, {"d"}), ({"d": SECONDARY}, {"d"})) == {"d": SECONDARY}
