"""Every way bytes become a PIL image: the page's drawings (PNG data URLs) and image files
(uploads to /predict, the command line), safe to hand anything a stranger sends.

Pillow cannot stop a decode once it has begun, so the work is bounded from the header before
a pixel is decoded (what each bound saved, measured: README, Limits):

- formats: an allow-list, handed to Image.open, so no other decoder ever runs;
- depth: 8 bits a channel at most (a drawing needs no more; deeper pixels go through the
  pipeline as float64 arrays, about 26 bytes a pixel);
- memory: the bytes Pillow will hold, from the header's size and mode, against
  MAX_DECODED_BYTES (MAX_DRAWING_BYTES for a drawing), whatever the mode;
- pixels: the header's size against MAX_PIXELS, or MAX_DRAWING_PIXELS for a drawing
  (Pillow's own guard only warns up to twice its limit, and only after decoding);
- WebP: a file of a few bytes may say 4096×4096; none larger than MAX_WEBP_PIXELS is decoded;
- frames: only the first frame of an animated GIF, WebP or PNG, or a TIFF's first page, is
  decoded (Image.load);
- JPEG: a progressive file may repeat a scan thousands of times, and the decoder walks every
  block of the image once per scan: scans × pixels is capped, counted from the start-of-scan
  markers;
- TIFF: only compressions whose cost follows the pixels.

Refusals are InputError, saying what was wrong with the image and never what is on the server.
"""

import base64
import binascii
import io
import os
from pathlib import Path

from PIL import Image, ImageMode, JpegImagePlugin

from app.inputs import MAX_PIXELS, InputError

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
MAX_DATA_URL = 2_000_000  # characters: a drawn 280×280 canvas is a few thousand
# Drawings come from the page's 280×280 canvas (Gradio's largest default is 800×800). A PNG
# at MAX_PIXELS is only 65 KB yet costs 0.4–0.9 s of CPU and 175 MB to read; at this size, a
# quarter of that.
MAX_DRAWING_PIXELS = 2048 * 2048
# What Pillow allocates for the largest image taken: 4 bytes a pixel, as it stores RGB as RGBX
# (1, L and P take 1). 64 MB for a file, 16 MB for a drawing.
MAX_DECODED_BYTES = 4 * MAX_PIXELS
MAX_DRAWING_BYTES = 4 * MAX_DRAWING_PIXELS
# Pillow's type of each channel: bits (|b1) or bytes (|u1); I;16, I and F are deeper.
EIGHT_BITS = ("|u1", "|b1")
# A quarter of the pixels of another file, 0.04 s of decoding here; no browser or phone saves
# a digit's picture larger than this as WebP.
MAX_WEBP_PIXELS = 2048 * 2048
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
    return _decode(io.BytesIO(data), ("PNG",), MAX_DRAWING_PIXELS, MAX_DRAWING_BYTES)


def read_image(path) -> Image.Image:
    """An image file (a path or a binary stream), fully read, or InputError: not a file that
    can be opened, not an image in FORMATS, too large or too costly to decode, or broken."""
    if isinstance(path, (str, os.PathLike)):
        try:
            with Path(path).open("rb") as file:
                return _decode(file, FORMATS, MAX_PIXELS, MAX_DECODED_BYTES)
        except OSError:  # missing, a folder, unreadable: the same words for each
            raise InputError("cannot open the file", code="cannot_open") from None
    return _decode(path, FORMATS, MAX_PIXELS, MAX_DECODED_BYTES)


def decoded_bytes(width: int, height: int, mode: str) -> int:
    """The bytes Pillow allocates for an image of this size and mode: one band of 1, 2 or 4
    bytes a pixel, or 4 bytes a pixel for every mode of several bands."""
    info = ImageMode.getmode(mode)
    return width * height * (4 if len(info.bands) > 1 else int(info.typestr[-1]))


def _decode(stream, formats: tuple[str, ...], max_pixels: int, max_bytes: int) -> Image.Image:
    try:
        with Image.open(stream, formats=formats) as image:  # reads the header only
            _check_cost(image, stream, max_pixels, max_bytes)
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


def _check_cost(image: Image.Image, stream, max_pixels: int, max_bytes: int) -> None:
    width, height = image.size
    if ImageMode.getmode(image.mode).typestr not in EIGHT_BITS:
        raise InputError(f"the image's pixels are deeper than 8 bits a channel (mode {image.mode}); "
                         "save it with 8 bits a channel", code="depth", mode=image.mode)
    size = decoded_bytes(width, height, image.mode)
    if size > max_bytes:
        raise InputError(f"the image is {width}×{height} in mode {image.mode}, {size:,} bytes decoded; "
                         f"the limit is {max_bytes:,} ({max_bytes >> 20} MB)", code="too_many_bytes", width=width,
                         height=height, mode=image.mode, bytes=size, limit=max_bytes, megabytes=max_bytes >> 20)
    if width * height > max_pixels:
        raise InputError(f"the image is {width}×{height}; the limit is {max_pixels:,} pixels", code="too_large",
                         width=width, height=height, limit=max_pixels)
    if isinstance(image, JpegImagePlugin.JpegImageFile):  # MPO files too
        scans = _count(stream, START_OF_SCAN)
        if scans * width * height > MAX_JPEG_WORK:
            raise InputError(f"the JPEG has {scans:,} scans; at {width}×{height} the limit is "
                             f"{MAX_JPEG_WORK // (width * height):,}", code="scans", scans=scans,
                             limit=MAX_JPEG_WORK // (width * height))
    if image.format == "WEBP" and width * height > MAX_WEBP_PIXELS:
        raise InputError(f"the WebP image is {width}×{height}; the limit for WebP is {MAX_WEBP_PIXELS:,} pixels",
                         code="webp", width=width, height=height, limit=MAX_WEBP_PIXELS)
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
