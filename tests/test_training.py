import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app import registry
from app.checkpoints import checkpoints_path
from app.inference import DigitClassifier
from app.weights import WeightsError
from tests.helpers.digits import FIXTURES
from training.data import DataError, from_idx_folder, load_mnist, read_idx
from training.evaluate import classify, evaluate
from training.train import checkpoint_steps, main, parse_args, train

ROOT = Path(__file__).resolve().parent.parent
# 20 digits held out to calibrate on, each drawn 5 ways: enough to run it, and quick.
FIXTURE_ARGS = ["--data-dir", str(FIXTURES / "mnist"), "--drawn", "0", "--holdout", "20"]


def test_idx_fixture_reads_as_mnist(mnist_fixture):
    assert mnist_fixture.train_x.shape == (1000, 28, 28) and mnist_fixture.train_x.dtype == np.uint8
    assert mnist_fixture.test_y.shape == (300,) and set(mnist_fixture.test_y) == set(range(10))
    assert mnist_fixture.train_x.max() == 255


def test_data_dir_without_mnist_says_what_is_missing(tmp_path):
    with pytest.raises(DataError, match="train-images-idx3-ubyte"):
        load_mnist(tmp_path)


def test_a_file_that_is_not_idx_is_refused(tmp_path):
    (tmp_path / "x").write_bytes(b"\x89PNG\r\n")
    with pytest.raises(DataError, match="not an IDX file"):
        read_idx(tmp_path / "x")


def test_a_short_run_learns():
    args = parse_args(["--model", "lenet5", "--epochs", "6", "--batch-size", "50", *FIXTURE_ARGS])
    network, history, _, _ = train(args)
    assert history.loss[-1] < 0.6 * history.loss[0]
    assert history.test_accuracy[-1] > 0.6  # chance is 0.1; 1,000 digits, a few seconds
    # Reproducible from the seed.
    _, again, _, _ = train(args)
    assert np.allclose(history.loss, again.loss, rtol=1e-4)


def test_training_exports_weights_card_and_plots(tmp_path):
    main(["--model", "tutorial", "--epochs", "1", "--out", str(tmp_path), *FIXTURE_ARGS])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["tutorial-checkpoints.safetensors", "tutorial-confusion.png", "tutorial-curves.png",
                     "tutorial.json", "tutorial.md", "tutorial.safetensors"]
    card = json.loads((tmp_path / "tutorial.json").read_text())
    assert card["parameters"] == 41_806 and card["epochs"] == 1 and card["training_digits"] == 980
    assert "980–999, held out" in card["confidence"]["calibrated_on"] and card["confidence"]["threshold"] >= 0
    assert np.sum(card["confusion_matrix"]) == 300
    assert len(card["per_class_accuracy"]) == 10 and "conv3" in card["architecture"][4]["layer"]
    # The exported weights load back into the app with the card's threshold and accuracy.
    clf = DigitClassifier.load("tutorial", tmp_path / "tutorial.safetensors")
    assert clf.threshold == card["confidence"]["threshold"]
    data = from_idx_folder(FIXTURES / "mnist")
    assert np.mean(classify(clf, data.test_x) == data.test_y) == pytest.approx(card["test_accuracy"])


def test_checkpoint_steps_are_log_spaced_from_the_start_to_the_end():
    steps = checkpoint_steps(23_400, 25)
    assert len(steps) == 25 and steps[0] == 0 and steps[-1] == 23_400
    gaps = np.diff(steps)
    assert (gaps > 0).all() and (np.diff(gaps) >= 0).all()  # closer together early, where it changes fast
    assert steps[5] < 20 and steps[-2] > 10_000
    assert checkpoint_steps(10, 25) == list(range(11))  # fewer steps than checkpoints: every one
    assert checkpoint_steps(10, 0) == []


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """lenet5 for 4 epochs on the fixtures, with its checkpoints."""
    out = tmp_path_factory.mktemp("run")
    main(["--model", "lenet5", "--epochs", "4", "--batch-size", "50", "--out", str(out), *FIXTURE_ARGS])
    return out / "lenet5.safetensors"


def test_checkpoints_run_from_chance_to_the_final_weights(tiny_run, mnist_fixture):
    entries = DigitClassifier.checkpoints("lenet5", tiny_run)
    assert [step for step, _ in entries] == checkpoint_steps(4 * (980 // 50), 25)  # 4 epochs of 19 steps
    first, last = (DigitClassifier.load("lenet5", tiny_run, checkpoint=i) for i in (0, -1))
    assert entries[0].test_accuracy < 0.25 < entries[-1].test_accuracy  # chance is 0.1
    # Each checkpoint's accuracy is measured on its weights as stored (float16).
    for i in (0, 7, -1):
        clf = DigitClassifier.load("lenet5", tiny_run, checkpoint=i)
        assert np.mean(classify(clf, mnist_fixture.test_x) == mnist_fixture.test_y) == entries[i].test_accuracy
    final = DigitClassifier.load("lenet5", tiny_run).network.state_dict()
    for key, value in final.items():
        assert np.array_equal(last.network.state_dict()[key].numpy(), value.numpy()), key  # exactly
    assert not np.array_equal(first.network.state_dict()["C1.weight"].numpy(), final["C1.weight"].numpy())
    with pytest.raises(IndexError):
        DigitClassifier.load("lenet5", tiny_run, checkpoint=len(entries))


def test_checkpoints_of_other_weights_are_refused(tiny_run, tmp_path):
    weights = tmp_path / "lenet5.safetensors"
    weights.write_bytes(registry.get("lenet5").weights.read_bytes())
    checkpoints_path(weights).write_bytes(checkpoints_path(tiny_run).read_bytes())
    with pytest.raises(WeightsError, match="made with other weights"):
        DigitClassifier.checkpoints("lenet5", weights)


def test_weights_without_checkpoints_have_none(tmp_path):
    main(["--model", "tutorial", "--epochs", "1", "--checkpoints", "0", "--out", str(tmp_path), *FIXTURE_ARGS])
    assert DigitClassifier.checkpoints("tutorial", tmp_path / "tutorial.safetensors") == []
    with pytest.raises(WeightsError, match="no checkpoints"):
        DigitClassifier.load("tutorial", tmp_path / "tutorial.safetensors", checkpoint=0)


def test_evaluation_gives_the_three_figures_and_honesty(tiny_run, mnist_fixture):
    clf = DigitClassifier.load("lenet5", tiny_run)
    result = evaluate(clf, drawn=20, data=mnist_fixture, per_kind=4)
    # The fixtures' digits are MNIST-shaped, so through the app they read as the network alone does.
    assert result["pipeline_test_accuracy"] == result["test_accuracy"]
    assert 0 <= result["drawn_accuracy"] <= 1 and result["drawn_count"] == 20
    honesty = result["honesty"]
    assert set(honesty["unsure"]) == {"letters", "dots", "scribbles", "several digits"}
    assert 0 <= honesty["drawn_confident"] <= 1 and honesty["threshold"] == clf.threshold


def test_two_process_data_parallel_run(tmp_path):
    """paddle.distributed.launch with 2 CPU processes (gloo) runs the same script."""
    command = [sys.executable, "-m", "paddle.distributed.launch", "--nproc_per_node", "2",
               "--log_dir", str(tmp_path / "log"), str(ROOT / "training" / "__main__.py"),
               "--model", "lenet5", "--epochs", "3", "--batch-size", "25", "--out", str(tmp_path / "out"),
               *FIXTURE_ARGS]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    logs = [(tmp_path / "log" / f"workerlog.{rank}").read_text() for rank in (0, 1)]
    assert "epoch  3/3" in logs[0] and "exported lenet5" in logs[0]
    assert "exported" not in logs[1]  # only rank 0 writes the model
    card = json.loads((tmp_path / "out" / "lenet5.json").read_text())
    assert card["test_accuracy"] > 0.5  # 60 steps on 1,000 digits


def test_redrawn_digits_and_non_digits_join_the_batches(mnist_fixture):
    """Drawings read through the pipeline, and non-digits taught to be unsure of."""
    from training.negatives import negative_inputs

    args = parse_args(["--model", "lenet5", "--epochs", "5", "--batch-size", "50", "--redrawn", "0.5",
                       "--negatives", "0.5", *FIXTURE_ARGS])
    network, history, _, _ = train(args)
    assert history.test_accuracy[-1] > 0.6
    clf = DigitClassifier("lenet5", network)
    top = clf.forward(negative_inputs(mnist_fixture.train_x[:980], 980, 1)[0][:200] / 255.0, False)[0].max(1)
    digits = clf.forward(mnist_fixture.test_x / 255.0, False)[0].max(1)
    assert np.median(top) < np.median(digits) - 0.2


def test_a_new_model_is_one_registry_entry(tmp_path):
    """A third kind of network, registered here alone, trains, exports and loads."""
    from app.models import Layer

    spec = registry.register(registry.ModelSpec(
        "tiny", (Layer("P1", "pool", kernel=2, stride=2), Layer("H", "fc", 32, activation="relu"),
                 Layer("OUT", "fc", 10)),
        about={"en": "a pool and two layers", "zh-CN": "一个池化和两层"}, notes="A test model.",
        recipe=registry.Recipe(epochs=2, lr=0.1, augment=False)))
    try:
        main(["--model", "tiny", "--out", str(tmp_path), *FIXTURE_ARGS])
        card = json.loads((tmp_path / "tiny.json").read_text())
        assert card["epochs"] == 2 and card["notes"] == "A test model." and card["parameters"] == 196 * 32 + 32 + 330
        clf = DigitClassifier.load("tiny", tmp_path / "tiny.safetensors")
        assert [info.shape for info in clf.infos] == [(1, 14, 14), (32,), (10,)]
        assert card["test_accuracy"] > 0.5
    finally:
        registry.MODELS.pop(spec.name)


def test_elastic_bending_moves_strokes_a_pixel_or_two_and_keeps_the_ink(mnist_fixture):
    import paddle

    from training.augment import _elastic, augment
    from training.drawn import skeleton

    digits = mnist_fixture.train_x[:64]
    images = paddle.to_tensor(digits[:, None].astype(np.float32) / 255)
    lines = paddle.to_tensor(np.stack([skeleton(d, 2) for d in digits])[:, None].astype(np.float32))
    paddle.seed(3)
    straight = augment(images, lines, 0.0, 0.0).numpy()
    paddle.seed(3)  # the same redraw, pen and affine draws come first; only the bending differs
    bent = augment(images, lines, 0.0, 1.0).numpy()
    moved = np.abs(bent - straight).sum(axis=(1, 2, 3)) / straight.sum(axis=(1, 2, 3))
    assert moved.min() > 0.05
    kept = bent.sum(axis=(1, 2, 3)) / straight.sum(axis=(1, 2, 3))  # stretched strokes gain ink, squeezed lose it
    assert 0.9 < np.median(kept) < 1.1 and kept.min() > 0.5 and kept.max() < 2
    pixels = np.abs(_elastic(64, 28, 1.0).numpy()) * 28 / 2  # grid_sample units → pixels
    assert 0.3 < np.median(pixels) < 3
    assert not _elastic(64, 28, 0.0).numpy().any()
