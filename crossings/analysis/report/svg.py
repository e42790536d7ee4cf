"""Small static SVG charts for the situation report, drawn by hand.

Presentation attributes only (no ``style``), so the same SVG renders in WeasyPrint and in a
browser under the strict Content Security Policy. Labels are codes and numbers; titles are in
the HTML around the chart, where the text engine shapes Khmer and Thai.
"""

from __future__ import annotations

from html import escape

BLUE, LIGHT, PURPLE, GREY = "#1f4e79", "#8fb3d9", "#7d5ba6", "#888888"
FONT = 'font-family="DejaVu Sans, Noto Sans Khmer, Noto Sans Thai, sans-serif"'


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
            + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, *, size: int = 10, anchor: str = "start",
          fill: str = "#222222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}" {FONT}>{escape(text)}</text>')


def hbars(items: list[tuple[str, int]], label: str, width: int = 640) -> str:
    """Horizontal bars, largest first (e.g. migrants by route)."""
    bar, gap, left = 16, 6, 230
    height = max(len(items), 1) * (bar + gap) + 10
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (name, value) in enumerate(items):
        y = 5 + i * (bar + gap)
        length = (width - left - 60) * value / top
        body.append(_text(left - 6, y + bar - 4, name, anchor="end"))
        body.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
                    f'fill="{BLUE}"/>')
        body.append(_text(left + length + 4, y + bar - 4, f"{value:,}"))
    return _svg(width, height, body, label)


def monthly(months: list[str], own: list[int], shared: list[int | None], label: str, *,
            width: int = 640, height: int = 200) -> str:
    """Stacked monthly bars: own records, and records shared by others (hatched when
    confidential)."""
    left, bottom, top_margin = 36, 24, 8
    plot_w, plot_h = width - left - 8, height - bottom - top_margin
    totals = [o + (s or 0) for o, s in zip(own, shared, strict=True)]
    top = max(totals, default=0) or 1
    step = plot_w / max(len(months), 1)
    body = [f'<line x1="{left}" y1="{top_margin + plot_h}" x2="{width - 8}" '
            f'y2="{top_margin + plot_h}" stroke="{GREY}" stroke-width="1"/>',
            _text(left - 4, top_margin + 8, f"{top:,}", anchor="end"),
            _text(left - 4, top_margin + plot_h, "0", anchor="end")]
    for i, (month, mine, theirs) in enumerate(zip(months, own, shared, strict=True)):
        x = left + i * step + 1
        h_own = plot_h * mine / top
        y_own = top_margin + plot_h - h_own
        body.append(f'<rect x="{x:.1f}" y="{y_own:.1f}" width="{step - 2:.1f}" '
                    f'height="{h_own:.1f}" fill="{BLUE}"/>')
        if theirs:
            h = plot_h * theirs / top
            body.append(f'<rect x="{x:.1f}" y="{y_own - h:.1f}" width="{step - 2:.1f}" '
                        f'height="{h:.1f}" fill="{LIGHT}"/>')
        if theirs is None:
            body.append(_text(x + step / 2, y_own - 2, "C", size=7, anchor="middle",
                              fill=GREY))
        if i % 6 == 0:
            body.append(_text(x, height - 8, month, size=8))
    return _svg(width, height, body, label)


def ranges(rows: list[tuple[str, float, float, float]], label: str, width: int = 640) -> str:
    """Median (dot) and quartiles (line) per row: (name, q1, median, q3)."""
    left, row_h = 150, 26
    height = max(len(rows), 1) * row_h + 26
    top = max((q3 for *_, q3 in rows), default=0) or 1
    scale = (width - left - 50) / top
    body = [_text(left, height - 6, "0", size=8), _text(width - 50, height - 6,
                                                         f"{top:,.0f} USD", size=8)]
    for i, (name, q1, median, q3) in enumerate(rows):
        y = 14 + i * row_h
        body.append(_text(left - 8, y + 4, name, anchor="end"))
        body.append(f'<line x1="{left + q1 * scale:.1f}" y1="{y}" x2="{left + q3 * scale:.1f}" '
                    f'y2="{y}" stroke="{PURPLE}" stroke-width="4"/>')
        body.append(f'<circle cx="{left + median * scale:.1f}" cy="{y}" r="5" fill="{PURPLE}"/>')
        body.append(_text(left + q3 * scale + 8, y + 4, f"{median:,.0f}"))
    return _svg(width, height, body, label)
