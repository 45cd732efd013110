"""Train a registered model on MNIST and export it to assets/.

    python -m training --model lenet5 --seed 1     # epochs, learning rate and data from its recipe

Along the way it keeps the weights at --checkpoints points, log-spaced from the random start
to the end so the fast early changes are seen, for watching the model learn.

The same command runs data-parallel under `python -m paddle.distributed.launch`: each
process trains on its share of every epoch and Paddle averages the gradients.
"""

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import paddle
import paddle.distributed as dist
from paddle.nn import functional as F
from tqdm import tqdm

from app import registry
from app.inference import DigitClassifier
from training.augment import augment, turn_and_flip
from training.data import load_mnist, split
from training.drawn import redrawn_inputs, skeleton
from training.evaluate import classify
from training.negatives import negative_inputs

# Outlier exposure (Hendrycks et al. 2019): the cross-entropy of the non-digits' outputs
# against the uniform distribution, weighted by the recipe's negative_weight (the paper's 0.5).
# The training digits are each redrawn once with each of the recipe's drawing_seeds (the
# redrawn test set uses 0); the non-digits are made from this seed.
NEGATIVES_SEED = 1


@dataclass
class History:
    loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    drawn_accuracy: list = field(default_factory=list)  # on the first --drawn redrawn test digits
    seconds: list = field(default_factory=list)
    # (step, parameters) at each checkpoint; not a per-epoch curve
    snapshots: list = field(default_factory=list)

    def curves(self) -> dict[str, list]:
        return {key: values for key, values in vars(self).items() if key != "snapshots"}


def checkpoint_steps(total: int, count: int) -> list[int]:
    """`count` distinct steps from 0 to `total` (fewer if there are not so many), log-spaced:
    each the geometric mean of the way left from the one before, at least one step on."""
    if count < 2:
        return []
    steps, count = [0, 1], min(count, total + 1)
    while len(steps) < count:
        last, left = steps[-1], count - len(steps)
        steps.append(max(last + 1, round(last * (total / last) ** (1 / left))))
    return steps[:count]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m training", description="Train a model on MNIST.")
    parser.add_argument("--model", choices=registry.MODELS, default=registry.DEFAULT_MODEL)
    parser.add_argument("--epochs", type=int, help="default: the model's recipe")
    parser.add_argument("--batch-size", type=int, default=128, help="per process")
    parser.add_argument("--lr", type=float, help="default: the model's recipe")
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, help="a folder with the four MNIST IDX files")
    parser.add_argument("--limit", type=int, help="train on the first N training digits only")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "assets")
    parser.add_argument("--drawn", type=int, default=2000,
                        help="redrawn test digits to measure each epoch and for the model card (0: skip)")
    parser.add_argument("--checkpoints", type=int, default=25, help="weights kept along the way (0: none)")
    parser.add_argument("--holdout", type=int, default=1000,
                        help="last training digits kept out of training to calibrate confidence on "
                             "(at most a tenth of them)")
    parser.add_argument("--redrawn", type=float, help="default: the model's recipe")
    parser.add_argument("--negatives", type=float, help="default: the model's recipe")
    args = parser.parse_args(argv)
    if args.checkpoints == 1:
        parser.error("--checkpoints: 0, or at least 2 (the start and the end)")
    recipe = registry.get(args.model).recipe
    args.epochs = args.epochs or recipe.epochs
    args.lr = args.lr or recipe.lr
    args.augment = recipe.augment
    args.redrawn = recipe.redrawn if args.redrawn is None else args.redrawn
    args.negatives = recipe.negatives if args.negatives is None else args.negatives
    args.redraw_share, args.drawing_seeds = recipe.redraw_share, recipe.drawing_seeds
    args.negative_weight, args.elastic_share = recipe.negative_weight, recipe.elastic_share
    return args


def _batches(args, data, trained: slice, rank: int, world: int):
    """Each step's MNIST digits (indices), redrawn digits added to them (inputs, labels) and
    non-digits (inputs, whether each may be turned), reproducible from the seed."""
    train_x, train_y = data.train_x[trained], data.train_y[trained].astype(np.int64)
    redrawn = redrawn_y = None
    if args.redrawn:
        redrawn = np.concatenate([redrawn_inputs(data.train_x, seed)[trained] for seed in args.drawing_seeds])
        redrawn_y = np.tile(train_y, len(args.drawing_seeds))
    negatives, turnable = negative_inputs(train_x, len(train_x), NEGATIVES_SEED) if args.negatives else (None, None)
    rng = np.random.default_rng([args.seed, rank])
    steps_per_epoch = len(train_x) // (args.batch_size * world)
    extra, unsure = round(args.redrawn * args.batch_size), round(args.negatives * args.batch_size)

    def epoch(number: int):
        # Every process draws the same order from the seed and takes its own slice of it.
        order = np.random.default_rng(args.seed + number).permutation(len(train_x))
        order = order[:steps_per_epoch * args.batch_size * world].reshape(steps_per_epoch, world, -1)[:, rank]
        for batch in order:
            picks = rng.integers(0, len(redrawn_y), extra) if extra else None
            odd = rng.integers(0, len(negatives), unsure) if unsure else None
            yield (batch, (redrawn[picks], redrawn_y[picks]) if extra else None,
                   (negatives[odd], turnable[odd]) if unsure else None)

    return steps_per_epoch, epoch


def _tensor(digits: np.ndarray) -> paddle.Tensor:
    return paddle.to_tensor(digits[:, None].astype(np.float32) / 255.0)


def train(args: argparse.Namespace):
    """Returns the trained network, its history, the data and the training time."""
    rank, world = dist.get_rank(), dist.get_world_size()
    paddle.seed(args.seed + rank)  # each process augments differently
    data = load_mnist(args.data_dir)
    trained, _ = split(data, args)
    train_x, train_y = data.train_x[trained], data.train_y[trained].astype(np.int64)
    if args.augment:
        centre_lines = np.stack([skeleton(digit, 2) for digit in train_x]).astype(np.float32)
    drawn_test = redrawn_inputs(data.test_x[:args.drawn], 0) if args.drawn else None

    network = registry.get(args.model).build()
    classifier = DigitClassifier(args.model, network)
    if world > 1:  # DataParallel averages the gradients of all processes after backward
        dist.init_parallel_env()
        network_step = paddle.DataParallel(network)
    else:
        network_step = network
    steps_per_epoch, batches = _batches(args, data, trained, rank, world)
    total_steps = args.epochs * steps_per_epoch
    warmup = max(1, min(steps_per_epoch, total_steps // 10))  # a big first step from random weights diverges
    schedule = paddle.optimizer.lr.LinearWarmup(
        paddle.optimizer.lr.CosineAnnealingDecay(args.lr, T_max=total_steps - warmup),
        warmup_steps=warmup, start_lr=args.lr / 20, end_lr=args.lr)
    optimizer = paddle.optimizer.Momentum(schedule, momentum=0.9, use_nesterov=True,
                                          parameters=network.parameters(),
                                          weight_decay=paddle.regularizer.L2Decay(args.weight_decay))
    keep = set(checkpoint_steps(total_steps, args.checkpoints)) if rank == 0 else set()
    history, started, step = History(), time.perf_counter(), 0

    def snapshot():
        if step in keep:
            history.snapshots.append((step, {k: v.numpy().copy() for k, v in network.state_dict().items()}))

    snapshot()
    for epoch in range(args.epochs):
        epoch_start = time.perf_counter()
        losses, right, seen = [], 0, 0
        bar = tqdm(batches(epoch), total=steps_per_epoch, desc=f"epoch {epoch + 1}/{args.epochs}",
                   leave=False, disable=rank != 0)
        network.train()
        for batch, redrawn, negatives in bar:
            images = _tensor(train_x[batch])
            if args.augment:
                images = augment(images, paddle.to_tensor(centre_lines[batch, None]), args.redraw_share,
                                 args.elastic_share)
            labels = train_y[batch]
            if redrawn is not None:  # already as the pipeline makes them: not augmented
                images = paddle.concat([images, _tensor(redrawn[0])])
                labels = np.concatenate([labels, redrawn[1]])
            labels = paddle.to_tensor(labels)
            if negatives is not None:
                images = paddle.concat([images, turn_and_flip(_tensor(negatives[0]), paddle.to_tensor(negatives[1]))])
            logits = network_step(images)
            digits = logits[:len(labels)]
            loss = F.cross_entropy(digits, labels)
            if negatives is not None:
                loss = loss - args.negative_weight * F.log_softmax(logits[len(labels):], axis=1).mean()
            loss.backward()
            optimizer.step()
            optimizer.clear_grad()
            schedule.step()
            step += 1
            snapshot()
            losses.append(float(loss))
            right += int((digits.argmax(1) == labels).sum())
            seen += len(labels)
        history.loss.append(float(np.mean(losses)))
        history.train_accuracy.append(right / seen)
        network.eval()
        history.test_accuracy.append(float((classify(classifier, data.test_x) == data.test_y).mean()))
        if drawn_test is not None:
            history.drawn_accuracy.append(float((classify(classifier, drawn_test) == data.test_y[:args.drawn]).mean()))
        history.seconds.append(time.perf_counter() - epoch_start)
        if rank == 0:
            drawn = f"  drawn {history.drawn_accuracy[-1]:.2%}" if drawn_test is not None else ""
            print(f"epoch {epoch + 1:>2}/{args.epochs}  loss {history.loss[-1]:.4f}  "
                  f"train {history.train_accuracy[-1]:.2%}  test {history.test_accuracy[-1]:.2%}{drawn}  "
                  f"{history.seconds[-1]:.0f} s", flush=True)
    return network, history, data, time.perf_counter() - started


def main(argv=None) -> None:
    args = parse_args(argv)
    network, history, data, seconds = train(args)
    if dist.get_rank() == 0:
        from training.export import export  # plots and the drawn set need training extras
        export(network, args, history, data, seconds)


if __name__ == "__main__":
    main()
