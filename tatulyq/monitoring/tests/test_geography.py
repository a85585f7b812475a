"""The schematic map: every region drawn once, in its place and at its size."""

from tatulyq.monitoring import charts, geography


def _inside(point, polygon) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_every_region_has_a_shape_of_its_published_size():
    drawn = geography._drawn()
    assert set(drawn) == set(geography.REGIONS) == set(geography.AREAS)
    total_drawn = sum(geography.area(p) for p in drawn.values())
    outline = geography.area([geography.project(*point) for point in geography.OUTLINE])
    assert abs(total_drawn - outline) < 1e-6 * outline  # the regions tile the country
    total = sum(geography.AREAS.values())
    for code, polygon in drawn.items():
        share = geography.area(polygon) / total_drawn
        assert abs(share - geography.AREAS[code] / total) < 0.02 * geography.AREAS[code] / total, code


def test_each_region_holds_its_centre_and_the_cities_lie_in_their_regions():
    drawn = geography._drawn()
    for code, (lon, lat, _w) in geography.REGIONS.items():
        assert _inside(geography.project(lon, lat), drawn[code]), code
    hosts = {"710000000": "110000000", "750000000": "190000000", "790000000": "610000000"}
    for city, region in hosts.items():
        assert _inside(geography.project(*geography.CITIES[city]), drawn[region]), city


def test_the_map_names_regions_briefly_and_links_them():
    assert charts.short_name("Жамбыл облысы") == "Жамбыл"
    assert charts.short_name("город Астана") == "Астана"
    assert charts.short_name("область Абай") == "Абай"
    assert charts.short_name("West Kazakhstan Region") == "West Kazakhstan"
    regions = [
        {"code": code, "name": f"R{code}", "value": None if i % 4 else i, "text": "<5" if i % 4 else str(i),
         "url": f"/r/{code}"}
        for i, code in enumerate([*geography.REGIONS, *geography.CITIES])
    ]
    svg = str(charts.region_map(regions, title="Map <of> things", legend_hidden="hidden"))
    assert svg.count("<a href=") == 20 and "&lt;5" in svg and "Map &lt;of&gt; things" in svg
