"""python -m training, or training/__main__.py as a file for paddle.distributed.launch."""

import sys
from pathlib import Path

if not __package__:  # run as a file: make `training` and `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from training.train import main  # noqa: E402

main()
