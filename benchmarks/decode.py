"""What reading or refusing a hostile image file costs in process, on this machine, beside
what Pillow alone would spend decoding it (the tests count decoder calls instead: the same on
any machine):

    python -m benchmarks.decode [--repeats 5] [--unguarded]

CPU seconds (time.process_time) per read_image, median of --repeats; --unguarded adds Pillow's
own decode of each file (the JPEG of repeated scans takes seconds).
"""

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def cpu(function, repeats: int) -> float:
    """Median CPU seconds of function(), whatever it raises."""
    seconds = []
    for _ in range(repeats):
        start = time.process_time()
        with contextlib.suppress(Exception):  # a refusal is what is measured
            function()
        seconds.append(time.process_time() - start)
    return statistics.median(seconds)


def files() -> dict[str, bytes]:
    from app.decode import MAX_WEBP_PIXELS
    from tests.helpers.images import blank_webp, encoded, float_tiff, pixel_bomb_png, scan_bomb_jpeg

    frames = [Image.new("RGB", (1024, 1024), (i, i, i)) for i in range(120)]
    side = int(MAX_WEBP_PIXELS ** 0.5)
    return {
        "JPEG of repeated scans, 450 KB (refused)": scan_bomb_jpeg(),
        "PNG of 5792×5792, 130 KB (refused)": pixel_bomb_png(),
        "TIFF of 4096×4096 floats, 94 KB (refused)": float_tiff(),
        "WebP of 4096×4096, 38 bytes (refused)": blank_webp(),
        f"WebP of {side}×{side}, the largest read": blank_webp(side),
        **{f"{format} of 120 frames of 1024×1024 (first read)":
           encoded(frames[0], format, save_all=True, append_images=frames[1:],
                   **({"compression": "tiff_deflate"} if format == "TIFF" else {}))
           for format in ("GIF", "WEBP", "PNG", "TIFF")},
    }


def unguarded(data: bytes) -> None:
    """Pillow's decode of every frame, with its own pixel limit off."""
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                image.load()
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--unguarded", action="store_true", help="also time Pillow decoding each file alone")
    args = parser.parse_args()
    from app.decode import read_image

    print("| file | read_image, CPU | Pillow alone, every frame |\n| --- | --- | --- |")
    for name, data in files().items():
        guarded = cpu(lambda data=data: read_image(io.BytesIO(data)), args.repeats)
        alone = f"{cpu(lambda data=data: unguarded(data), 1):.3f} s" if args.unguarded else ""
        print(f"| {name} | {guarded:.4f} s | {alone} |", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
