"""The weekly activity chart is a valid PNG whose bars stand for the numbers."""

import struct
import zlib

from cogs.digest.chart import AXIS, HEIGHT, PALETTE, WIDTH, Series, bar_chart, layout, short_number

LABELS = ("01-05", "01-12", "01-19", "01-26")


def decode(png: bytes) -> tuple[int, int, list[bytes]]:
    """Check every chunk's CRC and return width, height and the RGB rows."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, kind
        chunks.append((kind, data))
        position += 12 + length
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour_type, _, _, _ = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour_type) == (8, 2)  # 8-bit RGB
    raw = zlib.decompress(chunks[1][1])
    stride = width * 3 + 1
    assert len(raw) == stride * height
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # no filter
    return width, height, [row[1:] for row in rows]


def bar_height(rows: list[bytes], x: int, colour: tuple[int, int, int], baseline: int) -> int:
    """How many pixels of ``colour`` stand directly on the baseline at column x."""
    height, y = 0, baseline - 1
    while y >= 0 and tuple(rows[y][x * 3 : x * 3 + 3]) == colour:
        height += 1
        y -= 1
    return height


def test_the_chart_is_a_valid_png_with_bars_proportional_to_the_values():
    active, answered = (4, 8, 0, 2), (1, 2, 0, 0)
    png = bar_chart(LABELS, [Series(active, PALETTE[0]), Series(answered, PALETTE[1])])
    width, height, rows = decode(png)
    assert (width, height) == (WIDTH, HEIGHT)
    shape = layout(len(LABELS), 2)
    heights = {}
    for week in range(len(LABELS)):
        for index, colour in enumerate(PALETTE[:2]):
            x = shape.bar_x(week, index, 2) + shape.bar_width // 2
            heights[(week, index)] = bar_height(rows, x, colour, shape.baseline)
    tallest = heights[(1, 0)]
    assert tallest == shape.baseline - shape.plot_top  # the largest value fills the plot
    assert heights[(0, 0)] == round(tallest * 4 / 8)
    assert heights[(3, 0)] == heights[(1, 1)] == round(tallest * 2 / 8)
    assert heights[(0, 1)] == round(tallest * 1 / 8)
    assert heights[(2, 0)] == heights[(2, 1)] == heights[(3, 1)] == 0


def test_an_empty_history_still_draws_a_chart_without_bars():
    png = bar_chart(LABELS, [Series((0, 0, 0, 0), PALETTE[0])])
    _, _, rows = decode(png)
    shape = layout(len(LABELS), 1)
    for week in range(len(LABELS)):
        x = shape.bar_x(week, 0, 1) + shape.bar_width // 2
        assert bar_height(rows, x, PALETTE[0], shape.baseline) == 0
    baseline = rows[shape.baseline]
    assert tuple(baseline[WIDTH // 2 * 3 : WIDTH // 2 * 3 + 3]) == AXIS


def test_large_values_are_shortened_to_fit_above_a_bar():
    assert [short_number(v) for v in (0, 999, 1000, 12_345)] == ["0", "999", "1k", "12k"]
