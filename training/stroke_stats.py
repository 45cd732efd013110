"""Measure MNIST's stroke width the way the pipeline measures a drawing's.

python -m training.stroke_stats  →  the value for app.preprocess.TARGET_STROKE
"""

import numpy as np
from PIL import Image

from app.preprocess import WORK_SIZE, _fit, ink_box, stroke_width
from training.data import load_mnist


def main() -> None:
    widths = []
    for digit in load_mnist().train_x[::10]:
        top, bottom, left, right = ink_box(digit)
        widths.append(stroke_width(np.asarray(_fit(Image.fromarray(digit[top:bottom, left:right]), WORK_SIZE))))
    q10, q50, q90 = np.percentile(widths, [10, 50, 90])
    print(f"stroke width at {WORK_SIZE} px over {len(widths)} training digits: "
          f"median {q50:.1f}, 10 % {q10:.1f}, 90 % {q90:.1f}")


if __name__ == "__main__":
    main()
