"""A generated seal image for the issuing department, drawn on every certificate.

Why generated and why this shape: the platform must never imitate a real official seal (公章: a
red circle around a five-pointed star). This mark is a blue-grey double-lined rounded rectangle
with the department name and "电子证照专用章", so nobody can mistake it for, or lift it as, a
department's physical seal; the signature, not the picture, is what makes a certificate genuine.
Demo certificates get a diagonal "演示样本" band across the mark.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

WIDTH, HEIGHT = 200, 120
INK = "#2f4f6f"  # blue-grey, deliberately not seal red
DEMO_INK = "#b8860b"  # dark goldenrod for the demo band
FONT = "'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif"
PURPOSE = "电子证照专用章"
DEMO_MARK = "演示样本"
_LINE_CHARS = 12  # longest name line that fits at the smallest font size


_BREAK_AFTER = "省市区县旗州盟镇乡"  # a long name reads best split after its place name


def _name_lines(name: str) -> list[str]:
    """Up to two centred lines; a longer name is split (after a place name when one is near the
    middle) rather than cut off."""
    name = " ".join(name.split()) or "—"
    if len(name) <= _LINE_CHARS:
        return [name]
    half = (len(name) + 1) // 2
    places = [i + 1 for i, ch in enumerate(name[:-1]) if ch in _BREAK_AFTER and abs(i + 1 - half) <= 3]
    cut = min(places, key=lambda i: abs(i - half)) if places else half
    return [name[:cut], name[cut:]]


def _font_size(lines: list[str]) -> float:
    """Shrink the name to fit the inner frame (CJK glyphs are about one em wide)."""
    longest = max(len(line) for line in lines)
    return round(min(18.0, 168.0 / max(longest, 1)), 2)


def _demo_band() -> str:
    """A diagonal band across the whole mark, so a demo seal cannot pass for a working one."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    return (
        f'<g transform="rotate(-20 {cx} {cy})">'
        f'<rect x="-20" y="{cy - 16}" width="{WIDTH + 40}" height="32" fill="{DEMO_INK}" fill-opacity="0.8"/>'
        f'<text x="{cx}" y="{cy + 9}" font-size="24" font-family="{FONT}" font-weight="bold" fill="#ffffff" '
        f'text-anchor="middle" letter-spacing="8">{DEMO_MARK}</text></g>'
    )


def seal_svg(department_name: str, *, demo: bool) -> str:
    """The seal as a standalone SVG document (UTF-8 text); the name is XML-escaped."""
    lines = _name_lines(department_name)
    label = escape(f"{department_name} {PURPOSE}" + (f"（{DEMO_MARK}）" if demo else ""), {'"': "&quot;"})
    size = _font_size(lines)
    top = 48 if len(lines) == 1 else 40
    name_svg = "".join(
        f'<text x="{WIDTH / 2}" y="{top + i * (size + 4)}" font-size="{size}" '
        f'text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        f'<g fill="none" stroke="{INK}">',
        f'<rect x="3" y="3" width="{WIDTH - 6}" height="{HEIGHT - 6}" rx="16" stroke-width="3"/>',
        f'<rect x="10" y="10" width="{WIDTH - 20}" height="{HEIGHT - 20}" rx="11" stroke-width="1"/>',
        f'<line x1="24" y1="72" x2="{WIDTH - 24}" y2="72" stroke-width="0.8"/>',
        "</g>",
        f'<g fill="{INK}" font-family="{FONT}" font-weight="bold">',
        name_svg,
        f'<text x="{WIDTH / 2}" y="96" font-size="15" text-anchor="middle" letter-spacing="3">{PURPOSE}</text>',
        "</g>",
    ]
    if demo:
        parts.append(_demo_band())
    parts.append("</svg>")
    return "".join(parts)
