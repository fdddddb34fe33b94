"""PNG exports: the graph at twice its on-screen size, and the training boundary canvas.
The files are decoded here (zlib + struct) to check they are real, correctly sized PNGs
with a picture in them, not a blank page."""

import struct
import zlib

from pagetools import open_preset

MAGIC = b"\x89PNG\r\n\x1a\n"


def decode_png(data):
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced RGB/RGBA PNG."""
    assert data[:8] == MAGIC, "not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        chunks.setdefault(kind, b"")
        chunks[kind] += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(chunks[b"IDAT"])
    return width, height, _unfilter(raw, width * bpp, height, bpp), bpp


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _unfilter(raw, stride, height, bpp):
    rows, prev = [], bytearray(stride)
    for r in range(height):
        kind, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, _paeth(a, b, c)][kind]
            line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return rows


def colours(rows, bpp, every=7):
    """The distinct RGB colours of a sample of the pixels."""
    seen = set()
    for row in rows[::every]:
        for i in range(0, len(row), bpp * every):
            seen.add(bytes(row[i:i + 3]))
    return seen


def download(page, testid, tmp_path):
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return info.value.suggested_filename, path.read_bytes()


def test_graph_png_is_twice_the_screen_and_not_blank(page, base_url, tmp_path):
    open_preset(page, base_url, "tanh-mlp")
    box = page.get_by_test_id("graph").bounding_box()
    name, data = download(page, "export-png", tmp_path)
    width, height, rows, bpp = decode_png(data)
    assert name == "tanh-mlp.png"
    assert (width, height) == (round(box["width"] * 2), round(box["height"] * 2))
    seen = colours(rows, bpp)
    # The white paper, the black unit strokes and labels, and the sign colours of the edges.
    assert b"\xff\xff\xff" in seen and len(seen) > 20
    assert any(max(c) < 80 for c in seen), "no dark ink: the styles were not inlined"


def test_training_boundary_png(page, base_url, tmp_path):
    open_preset(page, base_url, "two-moons")
    page.wait_for_selector('[data-testid="scene"][data-ready=true]')
    name, data = download(page, "train-export-png", tmp_path)
    width, height, rows, bpp = decode_png(data)
    # Redrawn at twice the on-screen canvas (480 px), not an upscaled copy.
    assert name == "two-moons-boundary.png" and (width, height) == (960, 960)
    assert len(colours(rows, bpp)) > 20
