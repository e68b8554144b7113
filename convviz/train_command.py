"""``convviz train``: train the small CNN on the bundled handwritten digits from the command line.

::

    convviz train [--epochs N] [--filters N] [--seed N] [--json] [--save-bank BANK.json]

Prints one line per epoch (epoch, training loss, test accuracy); with ``--json``
one JSON object a line with the keys ``epoch``, ``train_loss`` and
``test_accuracy`` (a fraction 0–1) and nothing else on standard output.
``--save-bank`` writes the learned first-layer filters as a filter-bank file
(one grey input channel, valid padding, ReLU) that the Filter bank tab opens.
Bad arguments end the command with exit status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from convviz.cli_args import PROG, UsageError, _Parser

__all__ = ["train_parser", "run_train"]

MAX_EPOCHS = 1000
MAX_FILTERS = 64


def _bounded_int(minimum: int, maximum: int | None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
            raise argparse.ArgumentTypeError(f"{text!r} must be {bound}")
        return value
    return parse


def train_parser() -> _Parser:
    from convviz.model.cnn.training import DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM

    parser = _Parser(
        prog=f"{PROG} train",
        description="Train a small CNN (5×5 conv filters → ReLU → 2×2 max-pool → dense → softmax) on the "
                    "bundled handwritten digits (UCI, Alpaydin & Kaynak 1998, CC BY 4.0; 16×16, 1,438 for "
                    f"training, 359 for testing) with mini-batches of {DEFAULT_BATCH_SIZE}, learning rate "
                    f"{DEFAULT_LEARNING_RATE:g} and momentum {DEFAULT_MOMENTUM:g}. Prints one line per epoch.",
    )
    parser.add_argument("--epochs", type=_bounded_int(1, MAX_EPOCHS), default=10, metavar="N",
                        help="passes over the training images (default: 10)")
    parser.add_argument("--filters", type=_bounded_int(1, MAX_FILTERS), default=8, metavar="N",
                        help=f"number of first-layer filters, 1–{MAX_FILTERS} (default: 8)")
    parser.add_argument("--seed", type=_bounded_int(0, None), default=0, metavar="N",
                        help="random start and order of the images; the same seed gives the same run (default: 0)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object a line: epoch, train_loss, test_accuracy (0–1)")
    parser.add_argument("--save-bank", metavar="BANK.json",
                        help="write the learned filters as a filter-bank file the Filter bank tab opens")
    return parser


def _check_bank_destination(path: str) -> None:
    if Path(path).suffix.lower() != ".json":
        raise UsageError(f"--save-bank {path!r} must end in .json")
    folder = Path(path).parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path!r}: the folder {os.fspath(folder)!r} does not exist")
    if Path(path).is_dir():
        raise UsageError(f"cannot write {path!r}: it is a folder")


def run_train(argv: list[str]) -> int:
    """Run ``convviz train`` with the arguments after ``train``; returns the exit status."""
    args = train_parser().parse_args(argv)
    if args.save_bank is not None:
        _check_bank_destination(args.save_bank)  # before training, so a typo costs nothing

    from convviz.model.cnn import TinyCNN, TrainingRun, load_dataset

    data = load_dataset()
    net = TinyCNN(filters=args.filters, kernel_size=5, seed=args.seed)
    run = TrainingRun(net, data, seed=args.seed)
    width = len(str(args.epochs))
    for _ in range(args.epochs):
        result = run.run_epoch()
        if args.json:
            line = json.dumps(result.as_dict())
        else:
            line = (f"epoch {result.epoch:>{width}}/{args.epochs}  train loss {result.train_loss:.4f}  "
                    f"test accuracy {100 * result.test_accuracy:5.1f} %  ({result.seconds:.2f} s)")
        print(line, flush=True)
    if args.save_bank is not None:
        from convviz.io.banks import save_bank
        from convviz.model.cnn import filters_as_network

        path = save_bank(args.save_bank, filters_as_network(net))
        if not args.json:
            k = net.kernel_size
            print(f"wrote {os.fspath(path)}: {net.filters} learned {k}×{k} filters for a grey image "
                  f"(biases ×255, for 0–255 pixels)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    from convviz.cli import main

    sys.exit(main(["train", *sys.argv[1:]]))
