"""Drawing an organisation's seal (公章) as SVG: red ring, five-pointed star, the name along the
upper arc, an optional title under the star. Each character is its own <text> rotated into place,
because WeasyPrint does not follow <textPath> (TOOLCHAIN.md)."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

RED = "#d7261e"
SIZE = 200
CENTRE = SIZE / 2


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{RED}"/>'


def _arc_text(name: str) -> str:
    chars = list(name)
    n = len(chars)
    # Long names use more of the circle and smaller characters, as real seals do.
    span = min(250.0, 110.0 + 11.0 * n)
    font = max(14.0, min(26.0, 300.0 / max(n, 1)))
    radius = CENTRE - 12 - font * 0.55
    out = []
    for i, ch in enumerate(chars):
        angle = -90 - span / 2 + (span * (i + 0.5) / n)
        rad = math.radians(angle)
        x, y = CENTRE + radius * math.cos(rad), CENTRE + radius * math.sin(rad)
        out.append(
            f'<text transform="translate({x:.2f} {y:.2f}) rotate({angle + 90:.2f})" '
            f'text-anchor="middle" dominant-baseline="central" font-size="{font:.1f}" '
            f'fill="{RED}">{escape(ch)}</text>'
        )
    return "".join(out)


def draw_seal(name: str, title: str = "") -> str:
    """The seal of `name` as a standalone SVG document (200×200 user units)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        f'font-family="Noto Serif CJK SC, Noto Sans CJK SC, WenQuanYi Micro Hei, serif" font-weight="bold">',
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{CENTRE - 5}" fill="none" stroke="{RED}" stroke-width="6"/>',
        _star(CENTRE, CENTRE, 30),
        _arc_text(name),
    ]
    if title:
        parts.append(
            f'<text x="{CENTRE}" y="{CENTRE + 55}" text-anchor="middle" font-size="18" '
            f'fill="{RED}">{escape(title)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
