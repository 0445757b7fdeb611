"""Colour arithmetic for accessibility checks: WCAG 2.x contrast, a deuteranopia simulation, CIE76 ΔE.

* :func:`contrast_ratio` — WCAG 2.x contrast ratio of two colours (1 to 21; text needs ≥ 4.5, large
  text and graphics ≥ 3).
* :func:`simulate_deuteranopia` — the colour as seen with deuteranopia (Machado, Oliveira and Fernandes
  2009, severity 1.0, applied to linear RGB).
* :func:`delta_e` — CIE76 colour difference (Euclidean distance in CIE L*a*b*, D65).
"""

from __future__ import annotations

#: Machado et al. (2009) deuteranopia matrix, severity 1.0, for linear RGB.
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)


_NAMED = {"white": "#FFFFFF", "black": "#000000"}


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``#rgb``, ``#rrggbb``, ``white`` or ``black`` -> (r, g, b) in 0-255."""
    value = _NAMED.get(colour.strip().lower(), colour).strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def rgb_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{min(max(round(c), 0), 255):02X}" for c in rgb)


def _linear(channel: float) -> float:
    """An sRGB channel (0-255) as linear light (0-1), the WCAG 2.x formula."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encode(linear: float) -> float:
    linear = min(max(linear, 0.0), 1.0)
    c = 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
    return 255 * c


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance: 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels."""
    r, g, b = (_linear(c) for c in hex_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter colour's luminance."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def blend(colour: str, alpha: float, background: str = "#FFFFFF") -> str:
    """``colour`` drawn at opacity ``alpha`` over ``background`` (as a browser composites it, in sRGB)."""
    fg, bg = hex_rgb(colour), hex_rgb(background)
    return rgb_hex(tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)))  # type: ignore[arg-type]


def simulate_deuteranopia(colour: str) -> str:
    """The colour as a person with deuteranopia sees it (Machado et al. 2009, severity 1.0)."""
    lin = [_linear(c) for c in hex_rgb(colour)]
    out = tuple(_encode(sum(m * v for m, v in zip(row, lin, strict=True))) for row in DEUTERANOPIA)
    return rgb_hex(out)  # type: ignore[arg-type]


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65 white) of an sRGB colour."""
    r, g, b = (_linear(c) for c in hex_rgb(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 ΔE between two colours (about 2.3 is just noticeable; 20 or more is clearly different)."""
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5
