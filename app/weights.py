"""Weights on disk: safetensors only (unlike a pickled .pdparams, loading one cannot run
code), checked against the network before a single value is used."""

from pathlib import Path

import numpy as np
import paddle
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from app.models import Network


class WeightsError(RuntimeError):
    """A weights file is missing, unreadable, or not for this network."""


def save_weights(network: Network, path: Path) -> None:
    save_file({key: value.numpy() for key, value in network.state_dict().items()}, str(path))


def read_weights(path: Path) -> dict[str, np.ndarray]:
    path = Path(path)
    if path.suffix != ".safetensors":
        raise WeightsError(f"{path}: weights must be a .safetensors file")
    if not path.is_file():
        raise WeightsError(f"{path}: weights file not found (train one with `python -m training`)")
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as error:
        raise WeightsError(f"{path}: not a readable safetensors file ({error})") from None


def check_weights(arrays: dict[str, np.ndarray], network: Network, source) -> None:
    """Same names, shapes and dtype (float32) as the network's, and every value finite."""
    expected = network.state_dict()
    if arrays.keys() != expected.keys():
        raise WeightsError(f"{source}: holds {sorted(arrays)}, the network needs {sorted(expected)}")
    for key, value in expected.items():
        array = arrays[key]
        if tuple(array.shape) != tuple(value.shape):
            raise WeightsError(f"{source}: {key} is {array.shape}, the network needs {tuple(value.shape)}")
        if array.dtype != np.float32:
            raise WeightsError(f"{source}: {key} is {array.dtype}, the network needs float32")
        if not np.isfinite(array).all():
            raise WeightsError(f"{source}: {key} contains NaN or infinite values")


def set_weights(network: Network, arrays: dict[str, np.ndarray], source) -> None:
    """Checked first (check_weights); `source` names them in the error."""
    check_weights(arrays, network, source)
    network.set_state_dict({key: paddle.to_tensor(value) for key, value in arrays.items()})


def load_weights(network: Network, path: Path) -> None:
    set_weights(network, read_weights(path), path)
