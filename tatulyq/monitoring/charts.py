"""Server-rendered SVG: a trend line and the tile map of the 20 regions. Printable,
readable without JavaScript, nothing fetched from the network; every chart has a table
beside it on the page."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# A schematic map: each region as a tile placed roughly where it lies (KATO code → column, row).
TILES = {
    "590000000": (5, 0),
    "550000000": (7, 0),
    "270000000": (1, 1),
    "150000000": (3, 1),
    "390000000": (4, 1),
    "110000000": (5, 1),
    "710000000": (6, 1),
    "630000000": (8, 1),
    "230000000": (1, 2),
    "620000000": (4, 2),
    "350000000": (6, 2),
    "100000000": (7, 2),
    "470000000": (1, 3),
    "430000000": (3, 3),
    "310000000": (5, 3),
    "190000000": (7, 3),
    "330000000": (8, 3),
    "610000000": (4, 4),
    "790000000": (3, 4),
    "750000000": (7, 4),
}
PALETTE = ["#e8f1f8", "#bcd6ea", "#84b3d6", "#4a8cc0", "#1f5f95"]
TILE_W, TILE_H, GAP = 96, 58, 6


def _colour(value, low, high) -> str:
    if value is None:
        return "#d9d9d9"
    if high <= low:
        return PALETTE[2]
    step = min(len(PALETTE) - 1, int((float(value) - low) / (high - low) * len(PALETTE)))
    return PALETTE[step]


def tile_map(regions: list[dict], *, title: str, legend_hidden: str) -> str:
    """regions: [{"code", "name", "value" (None when hidden or missing), "text", "url"}]."""
    values = [float(r["value"]) for r in regions if r["value"] is not None]
    low, high = (min(values), max(values)) if values else (0, 0)
    width, height = 10 * (TILE_W + GAP), 5 * (TILE_H + GAP) + 40
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart chart--map" '
            'role="img" aria-labelledby="map-title"><title id="map-title">{}</title>',
            width,
            height,
            title,
        )
    ]
    for region in regions:
        col, row = TILES.get(region["code"], (9, 4))
        x, y = col * (TILE_W + GAP), row * (TILE_H + GAP)
        name = region["name"]
        short = name if len(name) <= 16 else name[:15] + "…"
        fill = _colour(region["value"], low, high)
        ink = "#ffffff" if fill in PALETTE[3:] else "#1a1a1a"
        tile = format_html(
            '<g><title>{}: {}</title><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" '
            'stroke="#ffffff"/><text x="{}" y="{}" font-size="11" fill="{}" text-anchor="middle">{}</text>'
            '<text x="{}" y="{}" font-size="15" font-weight="bold" fill="{}" '
            'text-anchor="middle">{}</text></g>',
            name,
            region["text"],
            x,
            y,
            TILE_W,
            TILE_H,
            fill,
            x + TILE_W / 2,
            y + 20,
            ink,
            short,
            x + TILE_W / 2,
            y + 42,
            ink,
            region["text"],
        )
        if region.get("url"):
            tile = format_html('<a href="{}">{}</a>', region["url"], tile)
        parts.append(tile)
    legend_y = 5 * (TILE_H + GAP) + 10
    for index, colour in enumerate(PALETTE):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="28" height="14" fill="{}"/>', index * 30, legend_y, colour
            )
        )
    parts.append(
        format_html(
            '<text x="0" y="{}" font-size="11">{} – {}</text>'
            '<rect x="200" y="{}" width="28" height="14" fill="#d9d9d9"/>'
            '<text x="234" y="{}" font-size="11">{}</text>',
            legend_y + 28,
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


__all__ = ["line_chart", "tile_map", "escape"]
