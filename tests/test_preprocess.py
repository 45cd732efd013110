import numpy as np
import pytest
from PIL import Image, ImageDraw

from app.inputs import MAX_PIXELS, InputError
from app.preprocess import MNIST_SHAPED, preprocess
from tests.helpers.digits import canvas_with


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """Pixels that differ, as a share of the ink: 0 for the same image, ~1+ for another digit."""
    return float(np.abs(a - b).sum() / max(a.sum(), b.sum()))


@pytest.fixture(scope="module")
def digit(mnist_fixture):
    return mnist_fixture.test_x[0]  # a 7


@pytest.fixture(scope="module")
def reference(digit):
    x, _ = preprocess(canvas_with(digit))
    return x


def test_output_is_an_mnist_like_28x28(reference):
    assert reference.shape == (28, 28) and reference.dtype == np.float32
    assert reference.min() >= 0 and reference.max() <= 1 and reference.max() > 0.9
    rows, cols = np.nonzero(reference > 0.05)
    # A 20-pixel digit inside the frame, never touching its edge, as in MNIST.
    assert rows.min() >= 1 and cols.min() >= 1 and rows.max() <= 26 and cols.max() <= 26
    assert max(np.ptp(rows), np.ptp(cols)) in range(18, 23)
    mass = np.argwhere(reference > 0).T @ reference[reference > 0] / reference.sum()
    assert np.allclose(mass, 14, atol=0.5)  # where MNIST's centres of mass are


def test_another_digit_is_far_from_the_reference(mnist_fixture, reference):
    other, _ = preprocess(canvas_with(mnist_fixture.test_x[1]))  # a 2
    assert difference(reference, other) > 0.6


@pytest.mark.parametrize("change", [
    "moved", "smaller", "larger", "inverted", "coloured", "on alpha", "float", "grey", "PIL", "small canvas"])
def test_the_same_digit_drawn_differently_gives_the_same_input(digit, reference, change):
    canvas = canvas_with(digit)
    if change == "moved":
        canvas = canvas_with(digit, top=380, left=10)
    elif change == "smaller":
        canvas = canvas_with(digit, height=220)
    elif change == "larger":
        canvas = canvas_with(digit, top=10, left=10, height=700)
    elif change == "inverted":  # light ink on dark paper, like MNIST itself
        canvas[:, :, :3] = 255 - canvas[:, :, :3]
    elif change == "coloured":  # blue ink on cream paper
        ink = (255 - canvas[:, :, 0:1]).astype(float) / 255
        canvas[:, :, :3] = ((1 - ink) * [250, 245, 225] + ink * [30, 60, 200]).astype(np.uint8)
    elif change == "on alpha":  # black ink, the paper fully transparent
        canvas[:, :, 3] = 255 - canvas[:, :, 0]
        canvas[:, :, :3] = 0
    elif change == "float":
        canvas = canvas[:, :, :3].astype(np.float64) / 255
    elif change == "grey":
        canvas = canvas[:, :, 0]
    elif change == "PIL":
        canvas = Image.fromarray(canvas).convert("RGB")
    elif change == "small canvas":
        canvas = canvas_with(digit, size=280, top=40, left=60, height=160)
    x, steps = preprocess(canvas)
    assert difference(reference, x) < 0.25, change
    assert list(steps) == ["ink", "crop", "stroke", "20×20", "28×28"]


def _stroked(points, pen: int, size=800) -> np.ndarray:
    image = Image.new("L", (size, size), 255)
    ImageDraw.Draw(image).line(points, fill=0, width=pen, joint="curve")
    return np.asarray(image)


def test_stroke_width_is_normalised():
    # The same "7" with a thin and a fat pen reads as the same digit.
    seven = [(250, 200), (550, 200), (380, 620)]
    thin, _ = preprocess(_stroked(seven, 12))
    fat, _ = preprocess(_stroked(seven, 48))
    assert difference(thin, fat) < 0.3
    # A thin stroke is thickened to MNIST's: a 3 % pen is not left a faint hairline.
    assert thin.max() > 0.95 and (thin > 0.5).sum() > 40


def test_mnist_digits_pass_through_unchanged(mnist_fixture):
    for digit in [*mnist_fixture.test_x, Image.fromarray(mnist_fixture.test_x[0]).convert("RGB")]:
        x, steps = preprocess(digit)
        assert list(steps) == [MNIST_SHAPED]
        assert np.array_equal(x, np.asarray(digit)[:, :, 0] / np.float32(255) if isinstance(digit, Image.Image)
                              else digit / np.float32(255))


@pytest.mark.parametrize("change", ["moved", "inverted", "small", "red"])
def test_a_28x28_digit_off_mnists_frame_goes_through_the_pipeline(digit, reference, change):
    image = {"moved": lambda: np.roll(digit, 3, axis=1),
             "inverted": lambda: 255 - digit,
             "small": lambda: np.pad(np.asarray(Image.fromarray(digit).resize((16, 16))), 6),
             "red": lambda: np.dstack([digit, 0 * digit, 0 * digit])}[change]()
    x, steps = preprocess(image)
    assert list(steps) == ["ink", "crop", "stroke", "20×20", "28×28"]
    rows, cols = np.nonzero(x > 0.05)
    assert max(np.ptp(rows), np.ptp(cols)) in range(18, 23)  # fitted to 20 px and centred again
    assert np.allclose(np.argwhere(x > 0).T @ x[x > 0] / x.sum(), 14, atol=0.5)
    assert difference(reference, x) < 0.5, change  # still the 7 (another digit is over 0.6 away)


@pytest.mark.parametrize("blank", [
    np.full((800, 800, 4), 255, np.uint8),
    np.zeros((800, 800, 4), np.uint8),                     # fully transparent
    np.zeros((28, 28), np.uint8),
    np.full((100, 100, 3), 0.5),
    {"background": None, "layers": [], "composite": None},  # after Clear
    None,
])
def test_nothing_drawn_gives_no_input(blank):
    x, _ = preprocess(blank)
    assert x is None


def test_specks_are_not_a_digit():
    canvas = np.full((800, 800, 4), 255, np.uint8)
    canvas[100:104, 100:104, :3] = 0
    canvas[600:603, 500:503, :3] = 0
    x, steps = preprocess(canvas)
    assert x is None and "ink" in steps


def test_sketchpad_value_uses_its_composite(digit, reference):
    value = {"background": np.full((800, 800, 4), 255, np.uint8), "layers": [], "composite": canvas_with(digit)}
    x, _ = preprocess(value)
    assert difference(reference, x) < 0.01


@pytest.mark.parametrize("bad, message", [
    (np.zeros((0, 5)), "empty"),
    (np.zeros((4, 4, 2)), "shape"),
    (np.zeros((2, 3, 4, 5)), "shape"),
    (np.array([[np.nan, 0], [0, 0]]), "NaN"),
    (np.array([["a"]]), "numbers"),
    ("a string", "expected an image"),
])
def test_bad_input_gets_a_clear_error(bad, message):
    with pytest.raises(InputError, match=message):
        preprocess(bad)


def test_huge_images_are_refused_before_any_work():
    huge = np.lib.stride_tricks.as_strided(np.zeros(1, np.uint8), shape=(10_000, 10_000), strides=(0, 0))
    with pytest.raises(InputError, match=f"{MAX_PIXELS:,}"):
        preprocess(huge)
