"""The shared stylesheet's promises to people: a focus ring seen on every background (WCAG 2.2
non-text contrast, 3:1 or more) and targets a finger can hit."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).parents[2] / "shared/web/static/gia.css").read_text()
# The colours a focused control can stand on or in: the page and the light boxes on it, the
# header, and the buttons' own colours.
BACKGROUNDS = ("--paper", "--accent", "--bad", "#eef3f8", "#fbeaec")
# Every rule as (selectors, declarations), comments left out.
RULES = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S))


def rules(selector_part: str) -> list[str]:
    """The declarations of every rule whose selector list holds ``selector_part``."""
    return [
        body
        for selectors, body in RULES
        if selector_part in [part.strip() for part in selectors.split(",")]
    ]


def colour(value: str) -> str:
    """A custom property's value or a colour as written, as #rrggbb."""
    if value.startswith("--"):
        value = re.search(rf"{value}:\s*(#[0-9a-fA-F]+)", CSS)[1]
    return value if len(value) == 7 else "#" + "".join(digit * 2 for digit in value[1:])


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_ring_stands_out_on_every_background() -> None:
    (focus,) = rules("button:focus")
    assert "[tabindex]:focus" in CSS and "input:focus" in CSS
    ring = re.search(r"outline:\s*(\d+)px solid (#[0-9a-fA-F]+)", focus)
    halo = re.search(r"box-shadow:\s*0 0 0 (\d+)px (#[0-9a-fA-F]+)", focus)
    assert ring and halo and int(ring[1]) >= 2 and int(halo[1]) >= 2
    dark, light = colour(ring[2]), colour(halo[2])
    assert contrast(dark, light) >= 3  # the two rings tell apart from each other
    for background in BACKGROUNDS:
        seen = max(contrast(dark, colour(background)), contrast(light, colour(background)))
        assert seen >= 3, f"the focus ring is {seen:.1f}:1 on {background}"


def test_controls_are_44_px_high_and_boxes_24_px_beside_their_label() -> None:
    for selector in ("input:not([type=checkbox]):not([type=radio])", "select", "button"):
        assert any("min-height: 2.75rem" in body for body in rules(selector))
    (boxes,) = rules("input[type=radio]")
    assert "width: 1.5rem" in boxes and "height: 1.5rem" in boxes
    assert any("display: flex" in body for body in rules("label.check"))
    # A form's fields are full width to type in, never its boxes and buttons to tick.
    for selectors, body in RULES:
        if re.search(r"(?<![-\w])width:\s*100%", body):
            for part in selectors.split(","):
                if re.search(r"\.field\b.*\binput\b", part):
                    assert ":not([type=checkbox])" in part and ":not([type=radio])" in part, part
