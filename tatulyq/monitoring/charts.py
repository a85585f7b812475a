"""Server-rendered SVG: a trend line and the map of the 20 regions. Printable,
readable without JavaScript, nothing fetched from the network; every chart has a table
beside it on the page."""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from . import geography

PALETTE = ["#e8f1f8", "#bcd6ea", "#84b3d6", "#4a8cc0", "#1f5f95"]


def _colour(value, low, high) -> str:
    if value is None:
        return "#d9d9d9"
    if high <= low:
        return PALETTE[2]
    step = min(len(PALETTE) - 1, int((float(value) - low) / (high - low) * len(PALETTE)))
    return PALETTE[step]


SUFFIXES = (" облысы", " қаласы", " область", " Region", " City")
PREFIXES = ("область ", "город ")


def short_name(name: str) -> str:
    """"Жамбыл облысы" → "Жамбыл", "город Астана" → "Астана": the map's labels."""
    for suffix in SUFFIXES:
        name = name.removesuffix(suffix)
    for prefix in PREFIXES:
        name = name.removeprefix(prefix)
    return name


def _label_lines(name: str) -> list[str]:
    if len(name) <= 13:
        return [name]
    for separator in (" ", "-"):
        head, found, tail = name.partition(separator)
        if found:
            return [head + (separator if separator == "-" else ""), tail]
    return [name]


def region_map(regions: list[dict], *, title: str, legend_hidden: str) -> str:
    """The regions coloured by their figure, the three cities as dots; each region a link
    to its page. regions: [{"code", "name", "value" (None when hidden or missing), "text",
    "url"}]. Shapes are schematic (geography.py), the table beside the map is exact."""
    values = [float(r["value"]) for r in regions if r["value"] is not None]
    low, high = (min(values), max(values)) if values else (0, 0)
    width, height = geography.size()
    legend_y = height + 12
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart chart--map" '
            'role="img" aria-labelledby="map-title"><title id="map-title">{}</title>',
            round(width),
            round(legend_y + 44),
            title,
        )
    ]
    paths = geography.region_paths()
    shapes, labels = [], []
    for region in sorted(regions, key=lambda r: r["code"] in geography.CITIES):
        fill = _colour(region["value"], low, high)
        ink = "#ffffff" if fill in PALETTE[3:] else "#1a1a1a"
        x, y = geography.label_point(region["code"])
        at = lambda value: f"{value:.1f}"  # noqa: E731 (format_html escapes before formatting)
        name = short_name(region["name"])
        if region["code"] in geography.CITIES:
            shape = format_html(
                '<circle cx="{}" cy="{}" r="9" fill="{}" stroke="#1a1a1a" stroke-width="1.5"/>',
                at(x),
                at(y),
                fill,
            )
            label = format_html(
                '<text x="{}" y="{}" font-size="12" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" '
                'paint-order="stroke">'
                '<tspan font-weight="bold">{}</tspan> {}</text>',
                at(x + 13),
                at(y + 4),
                region["text"],
                name,
            )
        elif region["code"] in paths:
            shape = format_html(
                '<path d="{}" fill="{}" stroke="#ffffff" stroke-width="1.5"/>', paths[region["code"]], fill
            )
            lines = _label_lines(name)
            top = y - 8 * len(lines)
            label = format_html_join(
                "",
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="middle">{}</text>',
                ((at(x), at(top + 14 * i), ink, line) for i, line in enumerate(lines)),
            ) + format_html(
                '<text x="{}" y="{}" font-size="15" font-weight="bold" fill="{}" '
                'text-anchor="middle">{}</text>',
                at(x),
                at(top + 14 * len(lines) + 4),
                ink,
                region["text"],
            )
        else:
            continue
        item = format_html("<g><title>{}: {}</title>{}</g>", region["name"], region["text"], shape)
        if region.get("url"):
            item = format_html('<a href="{}">{}</a>', region["url"], item)
        (labels if region["code"] in geography.CITIES else shapes).append(item)
        labels.append(label)
    parts += shapes + labels  # labels last, so that no shape covers them
    for index, colour in enumerate(PALETTE):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="28" height="14" fill="{}"/>', index * 30, legend_y, colour
            )
        )
    parts.append(
        format_html(
            '<text x="0" y="{}" font-size="12">{} – {}</text>'
            '<rect x="200" y="{}" width="28" height="14" fill="#d9d9d9"/>'
            '<text x="234" y="{}" font-size="12">{}</text>',
            legend_y + 30,
            _num(low),
            _num(high),
            legend_y,
            legend_y + 11,
            legend_hidden,
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def _num(value) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if value == int(value) else f"{value:.1f}"


def line_chart(points: list[tuple[str, object, str]], *, title: str, target=None) -> str:
    """points: [(label, value or None, text)]: a gap where a value is hidden or missing."""
    width, height, left, bottom, top, right = 640, 220, 48, 30, 16, 36
    values = [float(v) for _label, v, _t in points if v is not None]
    high = max(values + ([float(target)] if target is not None else []) + [1])
    step = (width - left - right) / max(1, len(points) - 1)

    def y(value):
        return top + (height - top - bottom) * (1 - float(value) / high)

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart chart--line" '
            'role="img" '
            'aria-labelledby="trend-title"><title id="trend-title">{}</title>',
            width,
            height,
            title,
        )
    ]
    for fraction in (0, 0.5, 1):
        level = high * fraction
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e0e0e0"/><text x="{}" y="{}" font-size="10" '
                'text-anchor="end">{}</text>',
                left,
                width - right,
                y(level),
                y(level),
                left - 4,
                y(level) + 3,
                _num(level),
            )
        )
    if target is not None:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b00020" stroke-dasharray="4 3"/>',
                left,
                width - right,
                y(target),
                y(target),
            )
        )
    segment = []
    for index, (label, value, text) in enumerate(points):
        x = left + index * step
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>', x, height - 10, label
            )
        )
        if value is None:
            if len(segment) > 1:
                parts.append(
                    format_html(
                        '<polyline fill="none" stroke="#1f5f95" stroke-width="2" points="{}"/>',
                        " ".join(segment),
                    )
                )
            segment = []
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#666">{}</text>',
                    x,
                    height - bottom - 4,
                    text,
                )
            )
            continue
        segment.append(f"{x:.1f},{y(value):.1f}")
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="3" fill="#1f5f95"><title>{}: {}</title></circle>',
                x,
                y(value),
                label,
                text,
            )
        )
    if len(segment) > 1:
        parts.append(
            format_html(
                '<polyline fill="none" stroke="#1f5f95" stroke-width="2" points="{}"/>', " ".join(segment)
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


__all__ = ["line_chart", "region_map", "escape"]
