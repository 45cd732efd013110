"""Image files as bytes: encoded, as the page's data URLs, and hostile ones (small files that
cost a decoder much)."""

import base64
import contextlib
import io
import sys
import types
import zlib

import numpy as np
from PIL import Image


def encoded(image: Image.Image, format: str = "PNG", **options) -> bytes:
    """An image saved as a file of `format`, its bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def data_url(data: bytes, kind: str = "png") -> str:
    """An image file's bytes as the page sends a drawing (data:image/png;base64,…)."""
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


def scan_bomb_jpeg(side: int = 512, size: int = 450_000) -> bytes:
    """A valid progressive JPEG whose last scan is repeated until the file is `size` bytes:
    each copy makes the decoder walk every block of the image again."""
    buffer = io.BytesIO()
    Image.new("L", (side, side), 255).save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    # Entropy-coded data stuffs every 0xFF with a zero, so these two are real markers.
    start, end = data.rindex(b"\xff\xda"), data.rindex(b"\xff\xd9")  # last start of scan, end of image
    scan = data[start:end]
    return data[:end] + scan * ((size - len(data)) // len(scan)) + data[end:]


def pixel_bomb_png(side: int = 5792, bit_depth: int = 8, colour_type: int = 6) -> bytes:
    """A blank side×side PNG, RGBA by default (colour type 0: grey): 130 KB on disk at the
    default size, side² × 4 bytes decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([bit_depth, colour_type, 0, 0, 0])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    packer, row = zlib.compressobj(9), bytes(1 + channels * bit_depth // 8 * side)  # filter byte, the pixels
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def float_tiff(side: int = 4096) -> bytes:
    """A blank side×side TIFF of 32-bit floats, deflated: 94 KB at the default size, side² × 4
    bytes decoded and more as the pipeline works on floats."""
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((side, side), np.float32)).save(buffer, "TIFF", compression="tiff_adobe_deflate")
    return buffer.getvalue()


def blank_webp(side: int = 4096) -> bytes:
    """A white side×side lossless WebP: 38 bytes, side² × 4 bytes decoded (Pillow holds RGB as RGBX)."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "white").save(buffer, "WEBP", lossless=True, method=0)
    return buffer.getvalue()


# Pillow's decoders, in C, and the call of each that decodes pixels
DECODERS = {("ImagingDecoder", "decode"), ("WebPAnimDecoder", "get_next")}


@contextlib.contextmanager
def decoding():
    """Counts the calls to Pillow's decoders (a chunk of pixels each, or a WebP frame) made in
    this thread inside the block, whether it raised or not: work counted, not timed, the same
    on any machine. `with decoding() as work: …`, then `work.calls`."""
    work = types.SimpleNamespace(calls=0)

    def count(frame, event, arg):
        if event == "c_call" and (type(getattr(arg, "__self__", None)).__name__, arg.__name__) in DECODERS:
            work.calls += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        yield work
    finally:
        sys.setprofile(previous)
