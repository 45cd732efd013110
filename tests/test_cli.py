import json
import subprocess
import sys

from PIL import Image

from tests.helpers.digits import DRAWN, label_of


def run(*args):
    return subprocess.run([sys.executable, "-m", "app.predict", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_json_output_for_files(tmp_path):
    files = DRAWN[:3]
    done = run(*files, "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["label"] for line in lines] == [label_of(f) for f in files]
    assert abs(sum(lines[0]["probabilities"].values()) - 1) < 1e-3


def test_a_bad_file_fails_alone(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), "white").save(blank)
    done = run(text, DRAWN[0], tmp_path / "missing.png", blank, "--model", "tutorial")
    assert done.returncode == 1
    assert f"{text}: error: not an image in a supported format" in done.stderr
    assert "missing.png: error" in done.stderr
    assert done.stdout.startswith(f"{DRAWN[0]}: {label_of(DRAWN[0])}  (")
    assert f"{blank}: no digit (blank)" in done.stdout


def test_bad_weights_exit_with_a_message(tmp_path):
    done = run(DRAWN[0], "--weights", tmp_path / "nope.safetensors")
    assert done.returncode == 2 and "weights file not found" in done.stderr
