"""A schematic map of Kazakhstan's regions, drawn without any map data from outside.

The country is a hand-traced outline (longitude, latitude, about 0.5° accurate). Each of
the 17 regions is the part of it nearer to the region's centre than to any other, with
a weight per region (a power diagram) fitted so that its area matches the region's
published area within a few per cent; the three cities of republican significance are
dots. Borders are therefore straight lines, not the real ones: the map is for seeing
figures at a glance, and the table beside it holds the same figures.
"""

import functools
import math

# The country's border and coast, clockwise from the Volga delta.
OUTLINE = [
    (49.0, 46.4), (48.5, 46.9), (47.2, 47.7), (46.5, 48.4), (46.8, 49.3), (47.5, 50.4),
    (48.6, 50.7), (48.8, 51.3), (50.2, 51.7), (51.8, 51.7), (53.0, 51.4), (54.6, 51.0),
    (55.7, 50.6), (57.2, 50.9), (58.5, 51.0), (59.6, 50.6), (60.8, 50.7), (61.6, 51.3),
    (61.0, 52.6), (61.2, 53.9), (62.6, 54.0), (65.3, 54.6), (67.0, 54.8), (68.6, 55.3),
    (70.0, 55.4), (71.2, 54.7), (73.4, 54.0), (75.5, 54.1), (76.6, 53.6), (78.2, 53.2),
    (80.0, 52.2), (80.9, 51.3), (82.7, 51.0), (83.9, 50.9), (85.3, 50.0), (86.8, 49.6),
    (87.3, 49.1), (86.0, 48.5), (85.6, 47.1), (83.1, 47.2), (82.3, 45.6), (80.6, 45.1),
    (80.1, 44.2), (80.4, 43.0), (80.2, 42.3), (78.5, 42.8), (76.9, 43.0), (75.4, 42.8),
    (74.1, 43.2), (73.5, 42.5), (71.8, 42.7), (70.9, 42.2), (70.2, 41.5), (69.0, 41.2),
    (68.4, 40.7), (67.9, 41.1), (66.6, 41.2), (66.0, 42.9), (64.0, 43.6), (62.0, 43.5),
    (61.0, 44.4), (58.6, 45.6), (56.0, 45.0), (56.0, 41.3), (54.8, 41.4), (52.9, 42.1),
    (52.5, 42.8), (51.3, 43.2), (50.3, 44.3), (50.6, 44.9), (51.4, 45.3), (53.0, 45.4),
    (53.2, 46.3), (52.2, 46.9), (51.2, 47.0), (50.0, 46.8),
]

# KATO code: (longitude, latitude) of the region's centre, its weight (fitted, see above).
REGIONS = {
    "270000000": (50.6, 50.0, 94.0),  # West Kazakhstan
    "230000000": (51.9, 47.3, 683.8),  # Atyrau
    "470000000": (53.6, 43.8, 2548.8),  # Mangystau
    "150000000": (58.3, 47.9, 1993.6),  # Aktobe
    "390000000": (63.5, 51.6, -1092.4),  # Kostanay
    "590000000": (69.3, 54.1, -2381.1),  # North Kazakhstan
    "110000000": (70.3, 51.6, -1798.9),  # Akmola
    "550000000": (76.3, 52.4, -2277.8),  # Pavlodar
    "350000000": (74.2, 48.3, 220.3),  # Karaganda
    "620000000": (66.8, 47.6, -25.2),  # Ulytau
    "430000000": (63.2, 45.0, 2440.8),  # Kyzylorda
    "610000000": (68.4, 42.9, 201.8),  # Turkistan
    "310000000": (72.2, 44.4, 212.4),  # Jambyl
    "190000000": (76.6, 44.0, 300.8),  # Almaty region
    "330000000": (79.6, 45.5, 413.5),  # Jetisu
    "100000000": (79.8, 48.4, -67.5),  # Abai
    "630000000": (83.8, 49.2, -1466.9),  # East Kazakhstan
}
# Cities of republican significance: (longitude, latitude).
CITIES = {
    "710000000": (71.45, 51.17),  # Astana
    "750000000": (76.95, 43.25),  # Almaty
    "790000000": (69.60, 42.32),  # Shymkent
}
# Published areas, thousand km², to fit the weights against.
AREAS = {
    "270000000": 151.3, "230000000": 118.6, "470000000": 165.6, "150000000": 300.6,
    "390000000": 196.0, "590000000": 98.0, "110000000": 146.2, "550000000": 124.8,
    "350000000": 239.0, "620000000": 188.9, "430000000": 226.0, "610000000": 116.3,
    "310000000": 144.3, "190000000": 105.2, "330000000": 118.5, "100000000": 185.5,
    "630000000": 97.8,
}  # fmt: skip

WEST, NORTH = 46.0, 55.8
SCALE = 32.0  # SVG units per degree of latitude
COS = math.cos(math.radians(48))  # one longitude degree is this much of a latitude degree here


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - WEST) * COS * SCALE, (NORTH - lat) * SCALE


def size() -> tuple[float, float]:
    return project(87.8, 40.3)


def _clip(polygon: list, a: float, b: float, c: float) -> list:
    """The part of `polygon` where a·x + b·y <= c (Sutherland–Hodgman, one half-plane)."""
    out = []
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[(i + 1) % len(polygon)]
        in1, in2 = a * x1 + b * y1 <= c, a * x2 + b * y2 <= c
        if in1:
            out.append((x1, y1))
        if in1 != in2:
            t = (c - a * x1 - b * y1) / (a * (x2 - x1) + b * (y2 - y1))
            out.append((x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
    return out


def _cells(weights: dict) -> dict:
    """{code: polygon in SVG units}: the power diagram of the centres, inside the outline."""
    outline = [project(lon, lat) for lon, lat in OUTLINE]
    centres = {code: project(lon, lat) for code, (lon, lat, _w) in REGIONS.items()}
    cells = {}
    for code, (x, y) in centres.items():
        polygon = outline
        for other, (u, v) in centres.items():
            if other == code:
                continue
            # |p - s|² - w(s) <= |p - o|² - w(o)  ⇔  2(o - s)·p <= |o|² - |s|² + w(s) - w(o)
            a, b = 2 * (u - x), 2 * (v - y)
            c = u * u + v * v - x * x - y * y + weights[code] - weights[other]
            polygon = _clip(polygon, a, b, c)
        cells[code] = polygon
    return cells


def _edges(polygon: list) -> list:
    return list(zip(polygon, polygon[1:] + polygon[:1], strict=True))


def area(polygon: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in _edges(polygon))) / 2


@functools.cache
def _drawn() -> dict:
    weights = {code: w * (SCALE / 20.0) ** 2 for code, (_lon, _lat, w) in REGIONS.items()}
    return {code: polygon for code, polygon in _cells(weights).items() if polygon}


def region_paths() -> dict[str, str]:
    """{KATO code: SVG path data} of each region."""
    return {
        code: "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in polygon) + " Z"
        for code, polygon in _drawn().items()
    }


def label_point(code: str) -> tuple[float, float]:
    """Where a region's name goes (the middle of its shape), or a city's dot."""
    if code in CITIES:
        return project(*CITIES[code])
    polygon = _drawn().get(code)
    if not polygon:
        return project(*REGIONS[code][:2])
    edges = _edges(polygon)
    twice = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges)
    x = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in edges) / (3 * twice)
    y = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in edges) / (3 * twice)
    return x, y


def fit_weights(rounds: int = 400) -> dict:
    """Weights that give each region its share of the country's area (run once, by hand,
    when the outline or the centres change; the results are written into REGIONS)."""
    weights = {code: 0.0 for code in REGIONS}  # at SCALE 20 (they grow with its square)
    total = sum(AREAS.values())
    for _round in range(rounds):
        cells = _cells(weights)
        drawn = sum(area(p) for p in cells.values())
        for code, polygon in cells.items():
            want = AREAS[code] / total * drawn
            have = max(area(polygon), 1.0)
            weights[code] += 0.5 * (want - have) / math.pi
    return {code: round(w / (SCALE / 20.0) ** 2, 1) for code, w in weights.items()}
