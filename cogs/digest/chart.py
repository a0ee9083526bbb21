"""A small PNG bar chart of weekly activity, drawn with the standard library only.

Grouped bars, one group per week (oldest on the left), one bar per series, each bar
topped by its value in a tiny built-in pixel font, and each week's first day (MM-DD)
under its group. The PNG is written by hand: signature, IHDR, one zlib-compressed IDAT
of unfiltered RGB rows, IEND, each chunk with its CRC (``zlib.crc32``).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

Colour = tuple[int, int, int]

WIDTH, HEIGHT = 560, 260
BACKGROUND: Colour = (255, 255, 255)
AXIS: Colour = (90, 90, 90)
GRID: Colour = (232, 232, 232)
TEXT: Colour = (60, 60, 60)
#: Series colours: blue (members active), orange (questions answered), green.
PALETTE: tuple[Colour, ...] = ((88, 101, 242), (245, 150, 40), (87, 200, 120))

_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 16, 16, 24, 30
_SCALE = 2  # pixel-font magnification

# 3×5 glyphs, one string of three bits per row.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "-": ("000", "000", "111", "000", "000"),
    "k": ("100", "101", "110", "101", "101"),
}


@dataclass(frozen=True, slots=True)
class Series:
    values: tuple[int, ...]
    colour: Colour


class Canvas:
    """An RGB pixel buffer with the few drawing operations a bar chart needs."""

    def __init__(self, width: int, height: int, background: Colour) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
        """Fill [x0, x1) × [y0, y1), clipped to the canvas."""
        x0, x1 = max(0, x0), min(self.width, x1)
        y0, y1 = max(0, y0), min(self.height, y1)
        if x0 >= x1:
            return
        row = bytes(colour) * (x1 - x0)
        for y in range(y0, y1):
            start = (y * self.width + x0) * 3
            self.pixels[start : start + len(row)] = row

    def text(self, x: int, y: int, text: str, colour: Colour, scale: int = _SCALE) -> None:
        """Draw ``text`` with its top-left corner at (x, y); unknown characters are gaps."""
        for index, char in enumerate(text):
            glyph = _GLYPHS.get(char)
            left = x + index * 4 * scale
            for gy, bits in enumerate(glyph or ()):
                for gx, bit in enumerate(bits):
                    if bit == "1":
                        self.rect(
                            left + gx * scale,
                            y + gy * scale,
                            left + (gx + 1) * scale,
                            y + (gy + 1) * scale,
                            colour,
                        )

    def png(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def text_width(text: str, scale: int = _SCALE) -> int:
    return max(0, len(text) * 4 * scale - scale)


def short_number(value: int) -> str:
    """What fits above a bar: ``950``, ``1k``, ``12k``."""
    return str(value) if value < 1000 else f"{value // 1000}k"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the plot area and each bar are (the chart's tests read bars back from it)."""

    plot_top: int
    baseline: int
    group_width: int
    bar_width: int

    def bar_x(self, week: int, series: int, series_count: int) -> int:
        inner = self.group_width - 2 * self.padding
        start = _MARGIN_LEFT + week * self.group_width + self.padding
        return start + series * inner // series_count

    @property
    def padding(self) -> int:
        return max(2, self.group_width // 6)


def layout(weeks: int, series_count: int) -> Layout:
    group = (WIDTH - _MARGIN_LEFT - _MARGIN_RIGHT) // max(1, weeks)
    inner = group - 2 * max(2, group // 6)
    return Layout(_MARGIN_TOP, HEIGHT - _MARGIN_BOTTOM, group, max(2, inner // series_count - 2))


def bar_chart(labels: Sequence[str], series: Sequence[Series]) -> bytes:
    """The PNG: ``labels`` name the weeks; each series has one value per week."""
    weeks = len(labels)
    canvas = Canvas(WIDTH, HEIGHT, BACKGROUND)
    shape = layout(weeks, len(series))
    peak = max((v for s in series for v in s.values), default=0)
    height = shape.baseline - shape.plot_top
    for step in (1, 2, 3, 4):  # light grid lines at quarters
        y = shape.baseline - height * step // 4
        canvas.rect(_MARGIN_LEFT, y, WIDTH - _MARGIN_RIGHT, y + 1, GRID)
    for week, label in enumerate(labels):
        for index, s in enumerate(series):
            value = s.values[week] if week < len(s.values) else 0
            x = shape.bar_x(week, index, len(series))
            bar = 0 if peak == 0 else round(height * value / peak)
            if value > 0:
                bar = max(bar, 1)
            canvas.rect(x, shape.baseline - bar, x + shape.bar_width, shape.baseline, s.colour)
            shown = short_number(value)
            left = x + (shape.bar_width - text_width(shown)) // 2
            canvas.text(left, max(0, shape.baseline - bar - 5 * _SCALE - 3), shown, TEXT)
        centre = _MARGIN_LEFT + week * shape.group_width + shape.group_width // 2
        canvas.text(centre - text_width(label) // 2, shape.baseline + 8, label, TEXT)
    canvas.rect(_MARGIN_LEFT, shape.baseline, WIDTH - _MARGIN_RIGHT, shape.baseline + 2, AXIS)
    return canvas.png()
