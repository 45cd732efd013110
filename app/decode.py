"""Every way bytes become a PIL image: the page's drawings (PNG data URLs) and image files
(uploads to /predict, the command line), safe to hand anything a stranger sends.

Decoding is where a small file can cost a server the most, and Pillow cannot stop a decode
once it has begun (its incremental ImageFile.Parser holds a JPEG back until close, measured),
so the work is bounded from the header before a pixel is decoded:

- formats: an allow-list, handed to Image.open, so no other decoder ever runs;
- pixels: the header's size against MAX_PIXELS, or MAX_DRAWING_PIXELS for a drawing
  (Pillow's own guard only warns up to twice its limit, and only after decoding);
- JPEG: a progressive file may repeat a scan thousands of times, and the decoder walks every
  block of the image once per scan, about 1 ns a pixel here: 450 KB of repeated scans cost
  9 s. Scans × pixels is capped, counted from the start-of-scan markers;
- TIFF: only compressions whose cost follows the pixels.

Refusals are InputError, saying what was wrong with the image and never what is on the server.
"""

import base64
import binascii
import io
import os

from PIL import Image, JpegImagePlugin

from app.inputs import MAX_PIXELS, InputError

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
MAX_DATA_URL = 2_000_000  # characters: a drawn 280×280 canvas is a few thousand
# Drawings come from the page's 280×280 canvas (Gradio's largest default is 800×800). A PNG
# at MAX_PIXELS is only 65 KB yet costs 0.4–0.9 s of CPU and 175 MB to read; at this size, a
# quarter of that.
MAX_DRAWING_PIXELS = 2048 * 2048
# 16 scans of the largest image: about 0.25 s of decoding here. libjpeg writes 10 scans at
# most for a progressive colour image, so only made-up files come near.
MAX_JPEG_WORK = 16 * MAX_PIXELS
START_OF_SCAN = b"\xff\xda"  # entropy-coded data stuffs every 0xFF byte, so only markers match
TIFF_COMPRESSIONS = ("raw", "tiff_lzw", "tiff_adobe_deflate", "tiff_deflate", "packbits")
# What decoders raise on a broken file (Pillow turns most into OSError, not all).
BROKEN = (OSError, ValueError, EOFError, SyntaxError, Image.DecompressionBombError)


def read_data_url(text: str) -> Image.Image | None:
    """A 'data:image/png;base64,…' drawing as the page sends it; None for an empty string.
    The page only ever sends PNG, so nothing else is decoded."""
    if not text:
        return None
    if not isinstance(text, str):
        raise InputError(f"expected the drawing as a data URL, got {type(text).__name__}", code="not_data_url")
    if len(text) > MAX_DATA_URL:
        raise InputError(f"the drawing is {len(text):,} characters; the limit is {MAX_DATA_URL:,}", code="too_long",
                         length=len(text), limit=MAX_DATA_URL)
    header, _, payload = text.partition(",")
    if header != "data:image/png;base64":
        raise InputError("expected the drawing as a PNG data URL (data:image/png;base64,…)", code="not_png")
    try:
        data = base64.b64decode(payload, validate=True)
    except binascii.Error:
        raise InputError("the drawing is not valid base64", code="not_base64") from None
    return _decode(io.BytesIO(data), ("PNG",), MAX_DRAWING_PIXELS)


def read_image(path) -> Image.Image:
    """An image file (a path or a binary stream), fully read, or InputError: not a file that
    can be opened, not an image in FORMATS, too large or too costly to decode, or broken."""
    if isinstance(path, (str, os.PathLike)):
        try:
            with open(path, "rb") as file:
                return _decode(file, FORMATS, MAX_PIXELS)
        except OSError:  # missing, a folder, unreadable: the same words for each
            raise InputError("cannot open the file", code="cannot_open") from None
    return _decode(path, FORMATS, MAX_PIXELS)


def _decode(stream, formats: tuple[str, ...], max_pixels: int) -> Image.Image:
    try:
        with Image.open(stream, formats=formats) as image:  # reads the header only
            _check_cost(image, stream, max_pixels)
            image.load()
            return image
    except InputError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, at open, past twice its limit
        raise InputError(f"the image is over the limit of {max_pixels:,} pixels", code="over_limit",
                         limit=max_pixels) from None
    except Image.UnidentifiedImageError:
        raise InputError(f"not an image in a supported format ({', '.join(formats)})", code="format",
                         formats=", ".join(formats)) from None
    except BROKEN:
        raise InputError("the image is truncated or corrupt", code="corrupt") from None


def _check_cost(image: Image.Image, stream, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise InputError(f"the image is {width}×{height}; the limit is {max_pixels:,} pixels", code="too_large",
                         width=width, height=height, limit=max_pixels)
    if isinstance(image, JpegImagePlugin.JpegImageFile):  # MPO files too
        scans = _count(stream, START_OF_SCAN)
        if scans * width * height > MAX_JPEG_WORK:
            raise InputError(f"the JPEG has {scans:,} scans; at {width}×{height} the limit is "
                             f"{MAX_JPEG_WORK // (width * height):,}", code="scans", scans=scans,
                             limit=MAX_JPEG_WORK // (width * height))
    if image.format == "TIFF" and image.info.get("compression") not in TIFF_COMPRESSIONS:
        raise InputError(f"TIFF compression {image.info.get('compression')} is not supported; "
                         "use none, LZW, deflate or PackBits", code="tiff")


def _count(stream, marker: bytes) -> int:
    """Occurrences of a two-byte marker in the whole stream, a megabyte at a time (the decoder
    seeks back to its data before reading)."""
    stream.seek(0)
    count, last = 0, b""
    while chunk := stream.read(1 << 20):
        count += (last + chunk).count(marker)
        last = chunk[-1:]
    return count
