import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.inference import DigitClassifier
from tests.helpers import FIXTURES
from training.data import DataError, load_mnist, read_idx
from training.train import main, parse_args, train

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ARGS = ["--data-dir", str(FIXTURES / "mnist"), "--drawn", "0"]


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
    assert names == ["tutorial-confusion.png", "tutorial-curves.png", "tutorial.json",
                     "tutorial.md", "tutorial.safetensors"]
    card = json.loads((tmp_path / "tutorial.json").read_text())
    assert card["parameters"] == 41_806 and card["epochs"] == 1 and card["training_digits"] == 1000
    assert np.sum(card["confusion_matrix"]) == 300
    assert len(card["per_class_accuracy"]) == 10 and "conv3" in card["architecture"][4]["layer"]
    # The exported weights load back into the app and give the card's accuracy.
    clf = DigitClassifier.load("tutorial", tmp_path / "tutorial.safetensors")
    from training.data import from_idx_folder
    from training.evaluate import classify
    data = from_idx_folder(FIXTURES / "mnist")
    assert np.mean(classify(clf, data.test_x) == data.test_y) == pytest.approx(card["test_accuracy"])


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


def test_a_new_model_is_one_registry_entry(tmp_path):
    """A third kind of network, registered here alone, trains, exports and loads."""
    from app import registry
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
        assert [info.shape for info in clf.layers] == [(1, 14, 14), (32,), (10,)]
        assert card["test_accuracy"] > 0.5
    finally:
        registry.MODELS.pop(spec.name)
