"""Bytes to images: what any caller may send is refused from its header, cheaply, in words
that say what was wrong with the image and nothing about the server."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from app import texts
from app.decode import MAX_WEBP_PIXELS, decoded_bytes, read_data_url, read_image
from app.inputs import InputError
from tests.helpers.digits import DRAWN
from tests.helpers.images import blank_webp, data_url, decoding, encoded, float_tiff, pixel_bomb_png, scan_bomb_jpeg


def test_a_jpeg_of_thousands_of_scans_is_refused_before_decoding():
    bomb = scan_bomb_jpeg()  # 450 KB; seconds of CPU to decode (benchmarks.decode)
    with decoding() as work, pytest.raises(InputError, match="scans"):
        read_image(io.BytesIO(bomb))
    assert work.calls == 0


def test_progressive_and_baseline_jpegs_are_read():
    digit = Image.open(DRAWN[0]).convert("RGB")
    for options in ({}, {"progressive": True}, {"progressive": True, "quality": 95}):
        image = read_image(io.BytesIO(encoded(digit, "JPEG", **options)))
        assert image.size == digit.size


def test_a_png_over_the_pixel_limit_is_refused_from_its_header():
    bomb = pixel_bomb_png()  # 130 KB on disk, 134 MB decoded
    with decoding() as work:
        with pytest.raises(InputError, match="5792×5792"):
            read_image(io.BytesIO(bomb))
        with pytest.raises(InputError, match="5792×5792"):
            read_data_url(data_url(bomb))
    assert work.calls == 0


@pytest.mark.parametrize("format", ["ICO", "PPM", "TGA", "PCX", "SGI"])
def test_formats_off_the_list_are_not_decoded(format):
    with pytest.raises(InputError, match="supported format"):
        read_image(io.BytesIO(encoded(Image.new("RGB", (32, 32)), format)))


def test_a_drawing_is_read_as_png_alone():
    digit = Image.open(DRAWN[0])
    jpeg = base64.b64encode(encoded(digit.convert("RGB"), "JPEG")).decode()
    with pytest.raises(InputError, match="PNG"):
        read_data_url("data:image/jpeg;base64," + jpeg)
    with pytest.raises(InputError, match="supported format"):  # JPEG bytes under a PNG header
        read_data_url("data:image/png;base64," + jpeg)
    png = base64.b64encode(encoded(digit, "PNG")).decode()
    assert read_data_url("data:image/png;base64," + png).size == digit.size
    with pytest.raises(InputError, match="2049×2049"):  # a file may be that large, not a drawing
        read_data_url("data:image/png;base64," + base64.b64encode(pixel_bomb_png(2049)).decode())


@pytest.mark.parametrize("bomb", [
    float_tiff(), float_tiff(64),  # 94 KB; it grew the server by 170 MB
    pixel_bomb_png(4096, bit_depth=16, colour_type=0), pixel_bomb_png(64, bit_depth=16, colour_type=0),
    encoded(Image.fromarray(np.zeros((64, 64), np.int32)), "TIFF")])
def test_pixels_deeper_than_8_bits_are_refused_from_the_header(bomb):
    with decoding() as work, pytest.raises(InputError, match="deeper than 8 bits") as refusal:
        read_image(io.BytesIO(bomb))
    assert work.calls == 0  # the float TIFF would then take 26 bytes a pixel in the pipeline
    assert "8 位" in texts.error_text(refusal.value, "zh-CN")


def test_16_bit_colour_is_read_as_8_bits():
    ink = np.full((64, 64, 3), 65535, np.uint16)
    ink[16:48, 28:36] = 0
    pixels = np.asarray(read_image(io.BytesIO(_png16(ink))))
    assert pixels.dtype == np.uint8 and pixels[0, 0].tolist() == [255] * 3 and pixels[30, 30].tolist() == [0] * 3


def _png16(pixels: np.ndarray) -> bytes:
    """A 16-bit RGB PNG, which Pillow does not write."""
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    height, width = pixels.shape[:2]
    rows = b"".join(b"\0" + row.astype(">u2").tobytes() for row in pixels)
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([16, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_the_bytes_an_image_decodes_to_are_bounded_before_the_pixels():
    assert [decoded_bytes(10, 10, mode) for mode in ("1", "L", "P", "LA", "RGB", "RGBA", "I;16", "F")] == \
        [100, 100, 100, 400, 400, 400, 200, 400]  # Pillow keeps RGB as RGBX
    with pytest.raises(InputError, match="5792×5792 in mode RGBA, 134,189,056 bytes decoded; the limit is 67,108,864 "
                       r"\(64 MB\)"):
        read_image(io.BytesIO(pixel_bomb_png()))
    with pytest.raises(InputError, match="2049×2049 in mode RGBA, 16,793,604 bytes decoded; "
                       r"the limit is 16,777,216 \(16 MB\)") as refusal:
        read_data_url("data:image/png;base64," + base64.b64encode(pixel_bomb_png(2049)).decode())
    assert "解码后有 16,793,604 字节" in texts.error_text(refusal.value, "zh-CN")
    # a grey image of 5000×5000 is 24 MB: its pixels are what is too many
    with pytest.raises(InputError, match="5000×5000; the limit is 16,777,216 pixels"):
        read_image(io.BytesIO(pixel_bomb_png(5000, colour_type=0)))
    assert read_image(io.BytesIO(pixel_bomb_png(4096))).size == (4096, 4096)  # 64 MB: the largest taken


def test_a_webp_is_decoded_up_to_its_own_pixel_limit():
    bomb = blank_webp()  # 38 bytes, 4096×4096
    with decoding() as work, pytest.raises(InputError, match="4096×4096; the limit for WebP") as refusal:
        read_image(io.BytesIO(bomb))
    assert work.calls == 0
    assert "WebP 的上限" in texts.error_text(refusal.value, "zh-CN")
    side = int(MAX_WEBP_PIXELS ** 0.5)
    assert read_image(io.BytesIO(blank_webp(side))).size == (side, side)


@pytest.mark.parametrize("format", ["GIF", "WEBP", "PNG", "TIFF"])
def test_only_the_first_frame_of_many_is_decoded(format):
    frames = [Image.new("RGB", (1024, 1024), (i, i, i)) for i in range(120)]
    compression = {"compression": "tiff_deflate"} if format == "TIFF" else {}
    many = io.BytesIO(encoded(frames[0], format, save_all=True, append_images=frames[1:], **compression))
    alone = io.BytesIO(encoded(frames[0], format, **compression))
    with decoding() as first:
        image = read_image(many)
    with decoding() as one:
        read_image(alone)
    assert first.calls == one.calls > 0  # the decoders' work for a file of the first frame alone
    assert image.size == (1024, 1024) and image.getpixel((0, 0)) in (0, (0, 0, 0))


def test_a_tiff_whose_cost_does_not_follow_its_pixels_is_refused():
    with pytest.raises(InputError, match="compression"):
        read_image(io.BytesIO(encoded(Image.new("RGB", (32, 32)), "TIFF", compression="jpeg")))
    assert read_image(io.BytesIO(encoded(Image.new("RGB", (32, 32)), "TIFF", compression="tiff_lzw"))).size == (32, 32)


def test_a_truncated_image_says_so():
    with pytest.raises(InputError, match="truncated or corrupt"):
        read_image(io.BytesIO(DRAWN[0].read_bytes()[:300]))


def test_every_unopenable_path_gets_the_same_words(tmp_path):
    messages = set()
    for path in (tmp_path / "missing.png", tmp_path, "data:image/png;base64," + "A" * 5000):
        with pytest.raises(InputError) as refused:
            read_image(path)
        messages.add(str(refused.value))
    assert messages == {"cannot open the file"}
