import numpy as np
import pytest
from PIL import Image, ImageDraw

from app import cards, confidence, models, registry
from app.inference import DigitClassifier
from app.inputs import InputError
from app.preprocess import MNIST_SHAPED
from app.ui.pad import PEN, SIDE
from app.weights import WeightsError, load_weights, save_weights


def test_drawn_digits_are_read_right(classifier, drawings):
    labels = [classifier.predict(image).label for image, _ in drawings]
    truth = [label for _, label in drawings]
    assert sum(a == b for a, b in zip(labels, truth, strict=True)) >= len(truth) - 1, (labels, truth)


def test_a_prediction_carries_everything_the_page_shows(classifier, drawings):
    result = classifier.predict(drawings[0][0])
    assert result.probabilities.shape == (10,) and result.probabilities.sum() == pytest.approx(1, abs=1e-5)
    assert result.label == int(result.probabilities.argmax())
    assert result.input.shape == (28, 28) and result.input.dtype == np.float32
    assert list(result.steps) == ["ink", "crop", "stroke", "20×20", "28×28"]
    assert np.array_equal(result.steps["28×28"], result.input)
    shapes = {name: a.shape for name, a in result.activations.items()}
    assert shapes == {"C1": (6, 28, 28), "S2": (6, 14, 14), "C3": (16, 10, 10), "S4": (16, 5, 5),
                      "C5": (120,), "F6": (84,), "OUTPUT": (10,)}
    # The last layer's outputs are the logits behind the probabilities.
    logits = result.activations["OUTPUT"]
    assert np.allclose(np.exp(logits) / np.exp(logits).sum(), result.probabilities, atol=1e-5)


def test_blank_canvas_gives_no_label(classifier):
    result = classifier.predict(np.full((800, 800, 4), 255, np.uint8))
    assert result.label is None and result.input is None and not result.activations
    assert result.probabilities.sum() == pytest.approx(1)


def test_batch_matches_one_by_one(classifier, drawings):
    images = [image for image, _ in drawings[:6]] + [None]
    batch = classifier.predict_batch(images)
    assert batch[-1].label is None
    for image, result in zip(images[:-1], batch[:-1], strict=True):
        single = classifier.predict(image)
        assert single.label == result.label
        assert np.allclose(single.probabilities, result.probabilities, atol=1e-5)
        assert np.allclose(single.activations["C3"], result.activations["C3"], atol=1e-5)


def test_an_mnist_digit_reaches_the_network_as_given(classifier, mnist_fixture):
    result = classifier.predict(mnist_fixture.test_x[0])
    assert np.array_equal(result.input, mnist_fixture.test_x[0] / np.float32(255))
    assert list(result.steps) == [MNIST_SHAPED] and result.label == 7 and result.confident


def page_canvas(*dots: tuple[int, int], pen: float = PEN["default"]) -> Image.Image:
    """The page's canvas (280×280) with a dot of a pen `pen` px wide (the page's: 5) at each point."""
    image, radius = Image.new("L", (SIDE, SIDE), 255), pen / 2
    for x, y in dots:
        ImageDraw.Draw(image).ellipse([x - radius, y - radius, x + radius, y + radius], fill=0)
    return image


def test_clear_drawings_are_confident(classifier, drawings):
    results = [classifier.predict(image) for image, _ in drawings]
    assert sum(r.confident for r in results) >= len(results) - 1
    assert all(r.doubt is None for r in results if r.confident)


@pytest.mark.parametrize("image, doubt", [
    (np.full((280, 280), 255, np.uint8), confidence.BLANK),
    (page_canvas((140, 140)), confidence.SPECK_DOUBT),  # one dot of the pen: too little to read, not blank
    (page_canvas((140, 140), pen=14), confidence.SPECK_DOUBT),  # a blob
    (page_canvas((40, 140), (140, 140), (240, 140)), confidence.PIECES_DOUBT),
])
def test_no_digit_is_not_confident(classifier, image, doubt):
    result = classifier.predict(image)
    assert not result.confident and result.doubt == doubt
    assert result.probabilities.sum() == pytest.approx(1)  # the top guesses are still there


def test_two_digits_side_by_side_are_not_confident(classifier, drawings):
    pair = Image.new("RGBA", (1600, 800), "white")
    for i, (image, _) in enumerate(drawings[:2]):
        pair.alpha_composite(image.convert("RGBA"), (800 * i, 0))
    assert not classifier.predict(pair).confident


def test_shipped_checkpoints_run_from_chance_to_the_shipped_weights():
    entries = DigitClassifier.checkpoints("lenet5")
    steps = [step for step, _ in entries]
    assert len(entries) == 25 and steps[0] == 0 and steps == sorted(set(steps))
    assert abs(entries[0].test_accuracy - 0.10) <= 0.03
    assert entries[-1].test_accuracy == cards.read_card(registry.get("lenet5").weights)["test_accuracy"]
    last = DigitClassifier.load("lenet5", checkpoint=-1).network.state_dict()
    for key, value in DigitClassifier.load("lenet5").network.state_dict().items():
        assert np.array_equal(last[key].numpy(), value.numpy()), key
    assert DigitClassifier.checkpoints("tutorial") == []


def test_the_accuracy_table_comes_from_the_shipped_cards():
    table = {row.model: row for row in cards.accuracy_table()}
    assert list(table) == list(registry.MODELS)
    for row in table.values():
        assert 0.9 < row.mnist <= 1 and 0.9 < row.mnist_pipeline <= 1 and 0.5 < row.drawn <= 1
        assert row.drawn_count == 10_000 and set(row.unsure) == {"letters", "dots", "scribbles", "several digits"}


def test_bad_input_raises_the_projects_error(classifier):
    with pytest.raises(InputError):
        classifier.predict(np.zeros((3, 3, 7)))


def test_tutorial_model_loads_and_reads(drawings):
    clf = DigitClassifier.load("tutorial")
    result = clf.predict(drawings[1][0])
    assert list(result.activations) == [layer.name for layer in models.TUTORIAL]
    assert result.activations["conv1"].shape == (6, 24, 24)
    right = sum(clf.predict(image).label == label for image, label in drawings)
    assert right >= len(drawings) - 2


def test_safetensors_round_trip(tmp_path):
    network = registry.get("lenet5").build()
    path = tmp_path / "w.safetensors"
    save_weights(network, path)
    again = registry.get("lenet5").build()
    load_weights(again, path)
    for (key, a), (_, b) in zip(network.state_dict().items(), again.state_dict().items(), strict=True):
        assert np.array_equal(a.numpy(), b.numpy()), key


@pytest.mark.parametrize("content, suffix, message", [
    (None, ".safetensors", "not found"),
    (b"\x80\x04 pickled", ".pdparams", "must be a .safetensors file"),
    (b"garbage that is not safetensors", ".safetensors", "not a readable safetensors file"),
])
def test_bad_weights_files_name_the_file(tmp_path, content, suffix, message):
    path = tmp_path / f"weights{suffix}"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WeightsError, match=message) as error:
        DigitClassifier.load("lenet5", path)
    assert str(path) in str(error.value)


def test_weights_of_the_other_network_are_refused(tmp_path):
    path = tmp_path / "tutorial.safetensors"
    save_weights(registry.get("tutorial").build(), path)
    with pytest.raises(WeightsError, match="the network needs"):
        DigitClassifier.load("lenet5", path)


@pytest.mark.parametrize("change, message", [
    (lambda a: a.astype(np.float64), "float64, the network needs float32"),
    (lambda a: a.astype(np.float16), "float16, the network needs float32"),
    (lambda a: a.astype(np.int8), "int8, the network needs float32"),
    (lambda a: a > 0, "bool, the network needs float32"),
    (lambda a: np.where(a > 0.1, np.nan, a).astype(np.float32), "NaN"),
])
def test_weights_of_the_right_shape_but_wrong_values_are_refused(tmp_path, change, message):
    from safetensors.numpy import save_file

    arrays = {key: value.numpy() for key, value in registry.get("lenet5").build().state_dict().items()}
    arrays["C3.weight"] = change(arrays["C3.weight"])
    path = tmp_path / "odd.safetensors"
    save_file(arrays, str(path))
    with pytest.raises(WeightsError, match=message):
        DigitClassifier.load("lenet5", path)
