"""Whatever arrives, the pipeline gives a result or its own clear InputError, and the pad's
route a card or a refusal: nothing else."""

import base64
import contextlib
import html
import io

import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from app.decode import read_data_url
from app.inputs import InputError
from app.preprocess import preprocess
from tests.helpers.digits import DRAWN

DTYPES = st.sampled_from([np.uint8, np.uint16, np.int32, np.int64, np.float16, np.float32, np.float64, bool])


def outcome(image):
    try:
        digit, steps = preprocess(image)
    except InputError as error:
        assert str(error)
        return None
    if digit is not None:
        assert digit.shape == (28, 28) and digit.dtype == np.float32
        assert np.isfinite(digit).all() and digit.min() >= 0 and digit.max() <= 1
    for step in steps.values():
        assert step.ndim == 2 and np.isfinite(step).all()
    return digit


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(DTYPES, array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=40),
              elements={"allow_nan": True, "allow_infinity": True}))
def test_any_array(array):
    outcome(array)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.integers(1, 300), st.sampled_from([1, 3, 4]), st.integers(0, 2**32 - 1))
def test_noise_of_any_size(height, width, channels, seed):
    noise = np.random.default_rng(seed).integers(0, 256, (height, width, channels), dtype=np.uint8)
    outcome(noise)


@pytest.mark.parametrize("image", [
    np.zeros((1, 1), np.uint8), np.full((1, 1, 4), 255, np.uint8),
    np.zeros((800, 800, 3), np.uint8),             # one colour all over: nothing to tell apart
    np.full((800, 800, 4), [0, 0, 0, 255], np.uint8),
])
def test_one_colour_is_no_digit(image):
    assert outcome(image) is None


@pytest.mark.parametrize("image", [np.full((5, 5), np.inf), np.array([[1e308, -1e308]]),
                                   np.array([[np.nan]]), np.array([[-5, 300]], np.int64)])
def test_extreme_values(image):
    outcome(image)


def test_a_huge_array_is_refused_by_its_shape():
    # A broadcast view: 10,000 × 10,000 × 4 "pixels" backed by 4 bytes; any copy would be 400 MB.
    huge = np.broadcast_to(np.zeros(4, np.uint8), (10_000, 10_000, 4))
    with pytest.raises(InputError, match="limit"):
        preprocess(huge)


@pytest.mark.parametrize("text, message", [
    ("data:text/plain;base64,aGk=", "PNG data URL"),
    ("data:image/png;base64,aGk=", "supported format"),
    ("data:image/png;base64,!!!", "base64"),
    ("hello", "data URL"),
    ("data:image/png;base64," + "A" * 2_100_000, "limit"),
])
def test_bad_data_urls(text, message):
    with pytest.raises(InputError, match=message):
        read_data_url(text)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=8)


@pytest.fixture(scope="module")
def served_models():
    from app.ui import state

    state.load_classifiers()


def pad_reads():
    """[drawing, model, language, checkpoint] with any JSON in any field, the right values
    mixed in so that every field is reached, or any JSON at all."""
    drawing = "data:image/png;base64," + base64.b64encode(DRAWN[0].read_bytes()).decode()
    fields = st.tuples(JSON | st.sampled_from(["", drawing]), JSON | st.just("lenet5"),
                       JSON | st.sampled_from(["en", "zh-CN"]), JSON | st.integers(-2, 40))
    return fields.map(list) | JSON


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pad_reads())
def test_any_json_the_pad_route_gets_is_answered_or_refused_in_one_log_line(served_models, asked):
    from app.ui.reading import answered  # the page's modules import gradio: only here

    with contextlib.redirect_stderr(io.StringIO()) as logged:
        answer = orjson.loads(answered(asked))
    assert isinstance(answer["card"], str) and answer["card"]
    lines = logged.getvalue().splitlines()
    if "error" in answer:
        assert html.escape(answer["error"]) in answer["card"] and "view" not in answer
        assert len(lines) == 1 and lines[0].startswith("* refused /read: "), lines
    else:
        assert answer["view"]["model"] == "lenet5" and answer["ask"] and not lines
