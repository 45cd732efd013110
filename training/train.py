"""Train a registered model on MNIST and export it to assets/.

    python -m training --model lenet5 --seed 1     # epochs, learning rate and data from its recipe

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
from training.augment import augment
from training.data import load_mnist
from training.drawn import skeleton
from training.evaluate import classify


@dataclass
class History:
    loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)


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
                        help="redrawn test digits to measure for the model card (0: skip)")
    args = parser.parse_args(argv)
    recipe = registry.get(args.model).recipe
    args.epochs = args.epochs or recipe.epochs
    args.lr = args.lr or recipe.lr
    args.augment = recipe.augment
    return args


def train(args: argparse.Namespace):
    """Returns the trained network, its history, the data and the training time."""
    rank, world = dist.get_rank(), dist.get_world_size()
    paddle.seed(args.seed + rank)  # each process augments differently
    data = load_mnist(args.data_dir)
    train_x, train_y = data.train_x[:args.limit], data.train_y[:args.limit].astype(np.int64)
    if args.augment:
        centre_lines = np.stack([skeleton(digit, 2) for digit in train_x]).astype(np.float32)

    network = registry.get(args.model).build()
    classifier = DigitClassifier(args.model, network)
    if world > 1:  # DataParallel averages the gradients of all processes after backward
        dist.init_parallel_env()
        network_step = paddle.DataParallel(network)
    else:
        network_step = network
    steps_per_epoch = len(train_x) // (args.batch_size * world)
    total_steps = args.epochs * steps_per_epoch
    warmup = max(1, min(steps_per_epoch, total_steps // 10))  # a big first step from random weights diverges
    schedule = paddle.optimizer.lr.LinearWarmup(
        paddle.optimizer.lr.CosineAnnealingDecay(args.lr, T_max=total_steps - warmup),
        warmup_steps=warmup, start_lr=args.lr / 20, end_lr=args.lr)
    optimizer = paddle.optimizer.Momentum(schedule, momentum=0.9, use_nesterov=True,
                                          parameters=network.parameters(),
                                          weight_decay=paddle.regularizer.L2Decay(args.weight_decay))
    history, started = History(), time.perf_counter()
    for epoch in range(args.epochs):
        epoch_start = time.perf_counter()
        # Every process draws the same order from the seed and takes its own slice of it.
        order = np.random.default_rng(args.seed + epoch).permutation(len(train_x))
        order = order[:steps_per_epoch * args.batch_size * world].reshape(steps_per_epoch, world, -1)[:, rank]
        losses, right = [], 0
        bar = tqdm(order, desc=f"epoch {epoch + 1}/{args.epochs}", leave=False, disable=rank != 0)
        network.train()
        for batch in bar:
            images = paddle.to_tensor(train_x[batch, None].astype(np.float32) / 255.0)
            if args.augment:
                images = augment(images, paddle.to_tensor(centre_lines[batch, None]))
            labels = paddle.to_tensor(train_y[batch])
            logits = network_step(images)
            loss = F.cross_entropy(logits, labels)
            loss.backward()
            optimizer.step()
            optimizer.clear_grad()
            schedule.step()
            losses.append(float(loss))
            right += int((logits.argmax(1) == labels).sum())
        history.loss.append(float(np.mean(losses)))
        history.train_accuracy.append(right / order.size)
        network.eval()
        history.test_accuracy.append(float((classify(classifier, data.test_x) == data.test_y).mean()))
        history.seconds.append(time.perf_counter() - epoch_start)
        if rank == 0:
            print(f"epoch {epoch + 1:>2}/{args.epochs}  loss {history.loss[-1]:.4f}  "
                  f"train {history.train_accuracy[-1]:.2%}  test {history.test_accuracy[-1]:.2%}  "
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
