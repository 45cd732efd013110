"""Receptive fields, gradients, attributions and stress tests, checked against oracles:
a brute-force search for the pixels a unit depends on, and completeness of the attributions."""

import numpy as np
import paddle
import pytest

from app import explain, registry, stress, texts
from app.explain import IG_TOLERANCE, PATCH, STRIDE
from app.inference import DigitClassifier
from app.inputs import InputError
from app.models import MNIST_MEAN


def impulse_oracle(name: str, layer: str, channel: int, y: int, x: int) -> np.ndarray:
    """The input pixels that move one unit, found by raising each pixel in turn. Every weight
    is 1, every bias 0, and the input MNIST's mean (0 once the network normalises it, as its
    padding is): all units of a layer start equal, so a max-pool grows with any of its inputs."""
    network = registry.get(name).build()
    network.set_state_dict({key: paddle.full(value.shape, 1.0 if key.endswith("weight") else 0.0)
                            for key, value in network.state_dict().items()})
    raised = np.eye(28 * 28, dtype=np.float32).reshape(-1, 1, 28, 28)
    inputs = paddle.to_tensor(MNIST_MEAN + np.concatenate([np.zeros((1, 1, 28, 28), np.float32), raised]))
    with paddle.no_grad():
        _, activations = network(inputs, with_activations=True)
    unit = activations[layer].numpy()[:, channel, y, x]
    return (unit[1:] != unit[0]).reshape(28, 28)


def clipped(box) -> np.ndarray:
    top, left, bottom, right = box
    mask = np.zeros((28, 28), bool)
    mask[max(top, 0):max(bottom, 0), max(left, 0):max(right, 0)] = True
    return mask


@pytest.mark.parametrize("name", ["lenet5", "tutorial"])
def test_every_map_layers_box_is_the_set_of_pixels_its_unit_depends_on(name):
    clf = DigitClassifier(name, registry.get(name).build())
    for info in clf.infos:
        if not info.is_map:
            continue
        size = info.shape[-1]
        for y, x in [(0, 0), (size // 2, size // 3), (size - 1, size - 1)]:
            box = clf.receptive_field(info.name, y, x)
            assert (box[2] - box[0], box[3] - box[1]) == (info.field.size,) * 2
            assert np.array_equal(impulse_oracle(name, info.name, 0, y, x), clipped(box)), (info.name, y, x)


def test_a_units_gradient_never_leaves_its_box(classifier, mnist_fixture):
    rng = np.random.default_rng(0)
    maps = [info for info in classifier.infos if info.is_map]
    seen_live = 0
    for digit in mnist_fixture.test_x[:100]:
        info = maps[rng.integers(len(maps))]
        channel, y, x = (int(rng.integers(n)) for n in info.shape)
        value, gradient = classifier.unit_gradient(digit.astype(np.float32) / 255, info.name, channel, y, x)
        outside = ~clipped(classifier.receptive_field(info.name, y, x))
        assert not gradient[outside].any(), (info.name, channel, y, x)
        seen_live += bool(value)
    assert seen_live > 30  # the check saw real gradients, not only dead units


def test_the_corner_box_reaches_into_the_padding(classifier):
    assert classifier.receptive_field("C1", 0, 0) == (-2, -2, 3, 3)
    assert classifier.receptive_field("S4", 4, 4) == (14, 14, 30, 30)
    # a caller's mistakes (a tap on the page names the cell), in words of both languages
    with pytest.raises(InputError, match="no cell") as refusal:
        classifier.receptive_field("C3", 10, 0)
    assert texts.error_text(refusal.value, "zh-CN") == "C3 是 10×10，没有格子 (10, 0)"
    with pytest.raises(InputError, match="not a conv or pool map") as refusal:
        classifier.receptive_field("F6", 0, 0)
    assert "F6 不是这个网络的卷积或池化特征图" in texts.error_text(refusal.value, "zh-CN")


def _blank_logits(clf):
    with paddle.no_grad():
        return clf.network(paddle.zeros([1, 1, 28, 28])).numpy()[0]


def test_attributions_add_up_to_the_change_in_score(classifier, drawings):
    blank = _blank_logits(classifier)
    for image, label in drawings[:8]:
        explanation = classifier.explain(image)
        assert explanation.label == label and explanation.input.shape == (28, 28)
        expected = explanation.logits[label] - blank[label]
        assert explanation.attribution.sum() == pytest.approx(expected, rel=IG_TOLERANCE * 1.01)
        assert explanation.occlusion.shape == (28, 28) and explanation.occlusion.max() > 0


def test_occlusion_is_the_mean_drop_of_every_square_over_each_pixel(classifier, drawings):
    """Against an oracle that blanks each of the 169 squares in a pass of its own, inked or not
    (occlusion skips the squares over no ink: their drop must be 0)."""
    digit = classifier.explain(drawings[1][0]).input
    label = int(classifier.forward(digit[None], with_activations=False)[0].argmax())

    def probability(image):
        with paddle.no_grad():
            logits = classifier.network(paddle.to_tensor(image[None, None]))
        return float(paddle.nn.functional.softmax(logits)[0, label])

    whole, drop, count = probability(digit), np.zeros((28, 28)), np.zeros((28, 28))
    for top in range(0, 28 - PATCH + 1, STRIDE):
        for left in range(0, 28 - PATCH + 1, STRIDE):
            blanked = digit.copy()
            blanked[top:top + PATCH, left:left + PATCH] = 0
            drop[top:top + PATCH, left:left + PATCH] += whole - probability(blanked)
            count[top:top + PATCH, left:left + PATCH] += 1
    assert np.abs(explain.occlusion(classifier.network, digit, label) - drop / count).max() < 1e-5


def test_a_rival_explains_the_difference(classifier, drawings):
    image, label = drawings[0]
    rival = int(classifier.predict(image).probabilities.argsort()[-2])
    explanation = classifier.explain(image, rival=rival)
    blank = _blank_logits(classifier)
    gap = (explanation.logits[label] - explanation.logits[rival]) - (blank[label] - blank[rival])
    assert explanation.rival == rival and explanation.attribution.sum() == pytest.approx(gap, rel=IG_TOLERANCE * 1.01)
    with pytest.raises(InputError, match="rival") as refusal:
        classifier.explain(image, rival=label)
    assert f"{label} 以外" in texts.error_text(refusal.value, "zh-CN")


def test_a_blank_drawing_has_nothing_to_explain(classifier):
    explanation = classifier.explain(np.full((280, 280), 255, np.uint8))
    assert explanation.label is None and explanation.attribution is None


@pytest.mark.parametrize("sweep", stress.SWEEP_ORDER)
def test_a_sweep_is_one_batch_and_its_neutral_value_is_the_prediction(classifier, drawings, sweep):
    image, label = drawings[3]
    values = stress.SWEEPS[sweep]
    probabilities = classifier.stress(image, sweep, values)
    assert probabilities.shape == (31, 10) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    neutral = classifier.stress(image, sweep, [stress.NEUTRAL[sweep]])[0]
    assert np.allclose(neutral, classifier.predict(image).probabilities, atol=1e-6)


def test_sweeps_change_the_input_the_way_they_say(classifier, drawings):
    digit = classifier.predict(drawings[2][0]).input
    moved = stress.variant(digit, "shift_x", 3)
    assert np.allclose(moved[:, 3:], digit[:, :-3], atol=1e-5)
    assert stress.variant(digit, "thickness", 1).sum() > digit.sum() > stress.variant(digit, "thickness", -1).sum()
    assert stress.variant(digit, "rotate", 90).sum() == pytest.approx(digit.sum(), rel=0.05)
    with pytest.raises(ValueError, match="unknown stress sweep"):
        stress.variant(digit, "melt", 1)


def test_flips_are_found_walking_out_from_the_neutral_value():
    labels = [3, 3, 7, 7, 7, 7, 1]
    probabilities = np.eye(10)[labels]
    assert stress.flips(probabilities, [-3, -2, -1, 0, 1, 2, 3], 0) == [1, 6]
    assert stress.flips(np.eye(10)[[7] * 5], range(5), 2) == []
