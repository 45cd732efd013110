"""A model's weights at points of its training, for watching it learn.

They live in one file beside the weights, `<name>-checkpoints.safetensors`: every checkpoint
but the last as float16 tensors named "<index>/<parameter>", and in its metadata each
checkpoint's training step and MNIST test accuracy (measured on the weights as stored) and
the SHA-256 of the weights file. The last checkpoint is that weights file itself, so it
equals the shipped weights exactly, and a checkpoints file left over from another run is
refused rather than shown.

A file is read once and kept (3 MB for lenet5), so loading every checkpoint of a model
costs a few milliseconds each.
"""

import functools
import hashlib
import json
from pathlib import Path
from typing import NamedTuple

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import save_file

from app.weights import WeightsError, read_weights

SUFFIX = "-checkpoints.safetensors"


class Checkpoint(NamedTuple):
    step: int              # optimiser steps taken; 0 is the random start
    test_accuracy: float   # on MNIST's 10,000 test digits, network alone


def checkpoints_path(weights: Path) -> Path:
    """lenet5.safetensors → lenet5-checkpoints.safetensors, in the same folder."""
    weights = Path(weights)
    return weights.with_name(weights.stem + SUFFIX)


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save_checkpoints(weights: Path, states: list[dict[str, np.ndarray]], entries: list[Checkpoint]) -> Path:
    """Write the checkpoints of a run whose final weights are already at `weights`.

    states: every checkpoint's parameters but the last's (that is the weights file), each
    already as the caller measured it; entries: one per checkpoint, the last included."""
    if len(states) != len(entries) - 1:
        raise ValueError(f"{len(entries)} checkpoints need {len(entries) - 1} stored states, got {len(states)}")
    tensors = {f"{i}/{key}": value.astype(np.float16) for i, state in enumerate(states)
               for key, value in state.items()}
    metadata = {"steps": json.dumps([entry.step for entry in entries]),
                "test_accuracy": json.dumps([entry.test_accuracy for entry in entries]),
                "weights_sha256": _sha256(weights)}
    path = checkpoints_path(weights)
    save_file(tensors, str(path), metadata=metadata)
    return path


@functools.lru_cache(maxsize=8)
def _read(path: Path, weights: Path, stamp: tuple) -> tuple[list[Checkpoint], list[dict[str, np.ndarray]]]:
    """The checkpoints and stored states of one file; `stamp` (both files' mtimes and sizes)
    makes a rewritten file read afresh."""
    try:
        with safe_open(str(path), framework="numpy") as f:
            metadata = f.metadata() or {}
            arrays = {key: f.get_tensor(key) for key in f.keys()}  # noqa: SIM118 (safe_open is no dict)
        steps, accuracies = json.loads(metadata["steps"]), json.loads(metadata["test_accuracy"])
        recorded = metadata["weights_sha256"]
    except (SafetensorError, OSError, KeyError, ValueError) as error:
        raise WeightsError(f"{path}: not a readable checkpoints file ({error})") from None
    if recorded != _sha256(weights):
        raise WeightsError(f"{path}: made with other weights than {weights}; retrain to make both")
    states = [{} for _ in range(len(steps) - 1)]
    for key, value in arrays.items():
        index, name = key.split("/", 1)
        states[int(index)][name] = value.astype(np.float32)
    entries = [Checkpoint(int(step), float(accuracy)) for step, accuracy in zip(steps, accuracies, strict=True)]
    return entries, states


def _stamp(*paths: Path) -> tuple:
    return tuple((stat.st_mtime_ns, stat.st_size) for stat in (Path(p).stat() for p in paths))


def list_checkpoints(weights: Path) -> list[Checkpoint]:
    """(step, test accuracy) of each checkpoint in training order; [] when the model has none."""
    path = checkpoints_path(weights)
    if not path.is_file():
        return []
    return list(_read(path, Path(weights), _stamp(path, weights))[0])


def checkpoint_weights(weights: Path, index: int) -> dict[str, np.ndarray]:
    """The float32 parameters of checkpoint `index` (negative counts from the end)."""
    path = checkpoints_path(weights)
    if not path.is_file():
        raise WeightsError(f"{path}: no checkpoints for these weights (`python -m training` saves them)")
    entries, states = _read(path, Path(weights), _stamp(path, weights))
    if not -len(entries) <= index < len(entries):
        raise IndexError(f"checkpoint {index} of {len(entries)}")
    index %= len(entries)
    return read_weights(weights) if index == len(entries) - 1 else states[index]
