"""Bytes to images: what any caller may send is refused from its header, cheaply, in words
that say what was wrong with the image and nothing about the server."""

import base64
import io
import time

import numpy as np
import pytest
from PIL import Image

from app.decode import read_data_url, read_image
from app.inputs import InputError
from app.preprocess import preprocess
from tests.helpers import DRAWN, pixel_bomb_png, scan_bomb_jpeg


def encoded(image: Image.Image, format: str, **options) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    buffer.seek(0)
    return buffer


def test_a_jpeg_of_thousands_of_scans_is_refused_before_decoding():
    bomb = scan_bomb_jpeg()  # 450 KB; about 9 s to decode here
    start = time.process_time()
    with pytest.raises(InputError, match="scans"):
        read_image(io.BytesIO(bomb))
    assert time.process_time() - start < 0.1


def test_progressive_and_baseline_jpegs_are_read():
    digit = Image.open(DRAWN[0]).convert("RGB")
    for options in ({}, {"progressive": True}, {"progressive": True, "quality": 95}):
        image = read_image(encoded(digit, "JPEG", **options))
        assert image.size == digit.size


def test_a_png_over_the_pixel_limit_is_refused_from_its_header():
    bomb = pixel_bomb_png()  # 130 KB on disk, 134 MB decoded
    start = time.process_time()
    with pytest.raises(InputError, match="5792×5792"):
        read_image(io.BytesIO(bomb))
    with pytest.raises(InputError, match="5792×5792"):
        read_data_url("data:image/png;base64," + base64.b64encode(bomb).decode())
    assert time.process_time() - start < 0.1  # decoding it takes about 1 s


@pytest.mark.parametrize("format", ["ICO", "PPM", "TGA", "PCX", "SGI"])
def test_formats_off_the_list_are_not_decoded(format):
    with pytest.raises(InputError, match="supported format"):
        read_image(encoded(Image.new("RGB", (32, 32)), format))


def test_the_stroke_route_reads_png_alone():
    digit = Image.open(DRAWN[0])
    jpeg = base64.b64encode(encoded(digit.convert("RGB"), "JPEG").getvalue()).decode()
    with pytest.raises(InputError, match="PNG"):
        read_data_url("data:image/jpeg;base64," + jpeg)
    with pytest.raises(InputError, match="supported format"):  # JPEG bytes under a PNG header
        read_data_url("data:image/png;base64," + jpeg)
    png = base64.b64encode(encoded(digit, "PNG").getvalue()).decode()
    assert read_data_url("data:image/png;base64," + png).size == digit.size
    with pytest.raises(InputError, match="2049×2049"):  # a file may be that large, not a drawing
        read_data_url("data:image/png;base64," + base64.b64encode(pixel_bomb_png(2049)).decode())


def test_a_float_tiff_of_nan_is_refused_as_nan():
    tiff = encoded(Image.fromarray(np.full((64, 64), np.nan, np.float32)), "TIFF")
    with pytest.raises(InputError, match="NaN"):
        preprocess(read_image(tiff))


def test_16_bit_images_are_read_as_arrays_are():
    ink = np.zeros((64, 64), np.uint16)
    ink[16:48, 28:36] = 255
    digit, _ = preprocess(read_image(encoded(Image.fromarray(ink), "PNG")))
    assert digit is not None


def test_a_tiff_whose_cost_does_not_follow_its_pixels_is_refused():
    with pytest.raises(InputError, match="compression"):
        read_image(encoded(Image.new("RGB", (32, 32)), "TIFF", compression="jpeg"))
    assert read_image(encoded(Image.new("RGB", (32, 32)), "TIFF", compression="tiff_lzw")).size == (32, 32)


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
