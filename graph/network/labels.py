"""The labels drawn beside nodes, and the room they take, shared by the layout and the picture.

Sizes are in layout units (one unit is the gap between two rows of a layered column, drawn
0.46 inch tall in the picture) for labels of 8.5 points.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from functools import cache

#: characters per line of a node label
LABEL_WIDTH = 24
#: lines of English at most (the rest is cut with an ellipsis)
ENGLISH_LINES = 3
#: Characters of a Chinese label per line (a CJK character is about twice as wide).
ZH_WIDTH = 12
#: width of an average character and height of a line, in layout units (8.5 pt text)
CHARACTER_UNITS = 0.145
LINE_UNITS = 0.34
#: room the node itself takes above and below its centre
NODE_UNITS = 0.45

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP")


@cache
def cjk_font() -> str | None:
    """The name of an installed CJK font, if any; without one the labels are English only."""
    # matplotlib's font list takes a while to load: only when a label needs it, not on every
    # import of the network views (the command line's start, the server's).
    from matplotlib.font_manager import fontManager

    installed = {font.name for font in fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def label_lines(
    data: Mapping[str, object], chinese: bool | None = None, language: str = "en"
) -> list[str]:
    """A node's label: its short English name in at most three lines (a mandate's preceded by
    its resolution's number), then its Chinese label (by default when a CJK font can draw it;
    a browser has its own fonts). In ``language`` zh: the Chinese label alone, where it has
    one."""
    zh = str(data.get("zh") or "")
    if language == "zh" and zh and chinese is not False:
        return textwrap.wrap(zh, ZH_WIDTH) or [zh]
    english = str(data.get("short") or data.get("label") or "")
    if data.get("category") == "mandate":
        english = _mandate_prefix(data) + english
    lines = textwrap.wrap(english, LABEL_WIDTH) or [""]
    if len(lines) > ENGLISH_LINES:
        rest = " ".join(lines[ENGLISH_LINES - 1 :])
        shortened = textwrap.shorten(rest, LABEL_WIDTH, placeholder=" …")
        lines = [*lines[: ENGLISH_LINES - 1], shortened]
    zh = str(data.get("zh") or "")
    if zh and (cjk_font() is not None if chinese is None else chinese):
        lines.append(zh if len(zh) <= 13 else zh[:12] + "…")
    return lines


def footprint(data: Mapping[str, object]) -> tuple[float, float]:
    """Width and height (layout units) of a node with its label under it."""
    lines = label_lines(data)
    # a CJK character is about twice as wide as a Latin one
    widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in lines)
    width = max(widest * CHARACTER_UNITS, 2 * NODE_UNITS)
    return width, 2 * NODE_UNITS + len(lines) * LINE_UNITS


def _mandate_prefix(data: Mapping[str, object]) -> str:
    """``[Res. 1/2] `` from the mandate's resolution label (``Resolution 1/2``)."""
    resolutions = data.get("resolution_labels") or []
    if not isinstance(resolutions, list) or not resolutions:
        return ""
    found = re.search(r"(Resolution|Decision)\s+(\d+/\d+)", str(resolutions[0]))
    return f"[{found[1][:3]}. {found[2]}] " if found else ""
