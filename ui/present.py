"""Present mode helpers: a slide that fits a 1280 x 720 projector, and keys that move between slides.

Streamlit has no key events, so :func:`slide_keys` draws a zero-height component whose script (inline,
no requests) listens on the app's page for the arrow keys, Page Down / Page Up (what a presentation
clicker sends), Space and Home / End, and clicks the page's own Previous / Next buttons. The listener is
replaced on every run (the old one belongs to the component frame that the run replaced).
"""

from __future__ import annotations

import streamlit.components.v1 as components

#: the chart's height with no slide title and no commentary; each takes room from it (px)
CHART_HEIGHT = 505
#: the width a slide's chart is laid out for before its text is enlarged 1.4 times (1,200 px on screen):
#: subtitles wrap to it, clear of the SPC icons
PRESENT_LAYOUT_WIDTH = 1050
TITLE_ROOM = 46
#: one line of commentary at 1.45 rem x 1.35 line height, and the characters in one line at 1280 px
COMMENTARY_LINE = 32
COMMENTARY_CHARS = 95
COMMENTARY_LINES_MAX = 4
MIN_CHART_HEIGHT = 300

#: the page's layout on a projector: no header bar (toolbar, Deploy menu), tight padding, large text,
#: the open-demo banner hidden (the caption under the slide says demo mode instead)
PRESENT_CSS = (
    "header[data-testid='stHeader'] {display: none;}"
    ".block-container {padding-top: 0.6rem; padding-bottom: 0; max-width: 100%;}"
    "[data-testid='stElementContainer']:has([data-testid='stAlertContentInfo']) {display: none;}"
    "[data-testid='stElementContainer']:has(iframe[title='st.iframe']) {height: 0; margin: 0;}"
    "[data-testid='stTable'] td, [data-testid='stTable'] th {font-size: 1.15rem; padding: 0.3rem 0.6rem;}"
    ".present-commentary {font-size: 1.45rem; line-height: 1.35;}"
    "h2 {padding: 0.2rem 0 0.4rem;}"
)


def chart_height(has_title: bool, commentary: str) -> int:
    """The chart height that leaves the title, the commentary and the notes on a 720 px screen."""
    lines = 0
    for paragraph in (commentary or "").splitlines() or ([""] if commentary else []):
        lines += max(1, -(-len(paragraph) // COMMENTARY_CHARS))
    lines = min(lines, COMMENTARY_LINES_MAX)
    height = CHART_HEIGHT - (TITLE_ROOM if has_title else 0) - COMMENTARY_LINE * lines
    return max(height, MIN_CHART_HEIGHT)


KEYS_SCRIPT = """
<script>
(function () {
  const doc = window.parent.document;
  const press = (which) => {
    const button = doc.querySelector(".st-key-present_" + which + " button");
    if (button && !button.disabled) { button.click(); }
  };
  const onKey = (event) => {
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) {
      return;
    }
    if (!doc.querySelector(".st-key-present_next")) { return; }
    const next = ["ArrowRight", "ArrowDown", "PageDown", " ", "Enter"];
    const prev = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"];
    if (next.includes(event.key)) { event.preventDefault(); press("next"); }
    else if (prev.includes(event.key)) { event.preventDefault(); press("prev"); }
  };
  if (doc.__presentKeys) { doc.removeEventListener("keydown", doc.__presentKeys); }
  doc.__presentKeys = onKey;
  doc.addEventListener("keydown", onKey);
})();
</script>
"""


def slide_keys() -> None:
    """Arrow keys, Page Down / Page Up and a clicker move between slides (see the module docstring)."""
    components.html(KEYS_SCRIPT, height=0)
