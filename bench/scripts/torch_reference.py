#!/usr/bin/python3
"""PyTorch reference run for `bench compare`: the same model, file, batch size, optimiser and
epochs as a WebTrainer run, with batches read from the HDF5 file by h5py inside the training loop.

Run with Debian's interpreter (/usr/bin/python3: python3-torch, python3-h5py, python3-torchvision
for resnet18). Prints the epochs and, last, one line `RESULT {json}` that `bench compare` reads.
The images/s figure counts training images over training time only: validation and test
evaluation are timed apart, as WebTrainer's epoch figure is.
"""
import argparse
import json
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn as nn


def small_cnn(channels: int, classes: int) -> nn.Module:
    """docs/small-cnn.md, verbatim apart from forward being a method."""

    class SmallCnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential()
            self.features.add_module("conv1", nn.Conv2d(channels, 32, 3, padding=1))
            self.features.add_module("bn1", nn.BatchNorm2d(32))
            self.features.add_module("relu1", nn.ReLU())
            self.features.add_module("pool1", nn.MaxPool2d(2))
            self.features.add_module("conv2", nn.Conv2d(32, 64, 3, padding=1))
            self.features.add_module("bn2", nn.BatchNorm2d(64))
            self.features.add_module("relu2", nn.ReLU())
            self.features.add_module("pool2", nn.MaxPool2d(2))
            self.features.add_module("avgpool", nn.AdaptiveAvgPool2d(7))
            self.classifier = nn.Sequential()
            self.classifier.add_module("flatten", nn.Flatten())
            self.classifier.add_module("dropout", nn.Dropout(0.25))
            self.classifier.add_module("fc1", nn.Linear(64 * 7 * 7, 128))
            self.classifier.add_module("relu3", nn.ReLU())
            self.classifier.add_module("fc2", nn.Linear(128, classes))

        def forward(self, x):
            return self.classifier(self.features(x))

    return SmallCnn()


def build(arch: str, channels: int, classes: int) -> tuple[nn.Module, int]:
    """The network and the channel count it takes (WebTrainer repeats grey to RGB for ResNets)."""
    if arch == "small_cnn":
        return small_cnn(channels, classes), channels
    if arch == "resnet18":
        import torchvision
        return torchvision.models.resnet18(num_classes=classes), 3
    raise SystemExit(f"torch_reference.py: architecture {arch!r} is not in the reference (small_cnn, resnet18)")


class Split:
    """One split of the file: images [N,H,W,C] uint8 read per batch, labels (one-hot or indices) in memory."""

    def __init__(self, h5: h5py.File, images: str, labels: str, limit: int | None):
        self.images = h5[images]
        raw = h5[labels][...]
        self.labels = torch.from_numpy((raw.argmax(axis=1) if raw.ndim == 2 else raw.reshape(-1)).astype(np.int64))
        self.count = min(self.images.shape[0], limit) if limit else self.images.shape[0]

    def batch(self, rows: np.ndarray, channels: int, size: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        # h5py wants increasing indices; the order within a batch does not matter to the step.
        rows = np.sort(rows)
        pixels = torch.from_numpy(self.images[rows] if len(rows) < self.images.shape[0] else self.images[...])
        labels = self.labels[torch.from_numpy(rows)]
        if device.type == "cuda":
            # What a PyTorch user does for a GPU: pinned uint8 over a non-blocking copy, converted there.
            pixels = pixels.pin_memory().to(device, non_blocking=True)
            labels = labels.pin_memory().to(device, non_blocking=True)
        x = pixels.permute(0, 3, 1, 2).float().div_(255.0)
        if x.shape[1] != channels:
            x = x.expand(-1, channels, -1, -1)
        if x.shape[2] < size:
            x = nn.functional.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        return x, labels


def evaluate(model: nn.Module, split: Split, batch: int, channels: int, size: int, device: torch.device) -> tuple[float, float]:
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for start in range(0, split.count, batch):
            x, y = split.batch(np.arange(start, min(start + batch, split.count)), channels, size, device)
            correct += (model(x).argmax(1) == y).sum().item()
            total += len(y)
    return correct / max(total, 1), total


def blas_library() -> str:
    """The BLAS this process actually mapped (Debian's torch takes whatever libblas.so.3 points at)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none mapped"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--arch", default="small_cnn")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--max-samples", type=int, default=0, help="at most this many samples per split (0: all)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    args = parser.parse_args()

    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("torch_reference.py: --device cuda, but this PyTorch sees no CUDA device")
    device = torch.device("cuda" if args.device != "cpu" and torch.cuda.is_available() else "cpu")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    limit = args.max_samples or None
    with h5py.File(args.data, "r") as h5:
        train = Split(h5, "train_img", "train_labels", limit)
        valid = Split(h5, "valid_img", "valid_labels", limit) if "valid_img" in h5 else None
        test = Split(h5, "test_img", "test_labels", limit) if "test_img" in h5 else None
        classes = int(train.labels.max().item()) + 1 if h5["train_labels"].ndim == 1 else h5["train_labels"].shape[1]
        _, height, _, data_channels = train.images.shape
        model, channels = build(args.arch, data_channels, classes)
        model.to(device)
        size = max(height, 32) if args.arch != "small_cnn" else height
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
        criterion = nn.CrossEntropyLoss()

        epochs = []
        wall = time.perf_counter()
        for epoch in range(1, args.epochs + 1):
            model.train()
            order = rng.permutation(train.count)
            seen, loss_sum, start = 0, 0.0, time.perf_counter()
            for first in range(0, train.count, args.batch):
                x, y = train.batch(order[first:first + args.batch], channels, size, device)
                optimizer.zero_grad()
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
                loss_sum += loss.item() * len(y)
                seen += len(y)
            if device.type == "cuda":
                torch.cuda.synchronize()
            train_s = time.perf_counter() - start
            start = time.perf_counter()
            val_acc, _ = evaluate(model, valid, args.batch, channels, size, device) if valid else (float("nan"), 0)
            val_s = time.perf_counter() - start
            epochs.append({"epoch": epoch, "images": seen, "train_s": train_s, "validation_s": val_s,
                           "images_per_second": seen / train_s, "train_loss": loss_sum / seen, "validation_accuracy": val_acc})
            print(f"epoch {epoch}: train loss {loss_sum / seen:.4f}, {seen / train_s:.0f} img/s ({train_s:.1f} s), "
                  f"validation accuracy {val_acc:.4f} ({val_s:.1f} s)", flush=True)
        test_acc, _ = evaluate(model, test, args.batch, channels, size, device) if test else (float("nan"), 0)
        wall = time.perf_counter() - wall

    result = {
        "side": "pytorch",
        "arch": args.arch,
        "torch": torch.__version__,
        "blas": blas_library(),
        "threads": torch.get_num_threads(),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "images_per_second": sum(e["images"] for e in epochs) / sum(e["train_s"] for e in epochs),
        "epoch_images_per_second": [e["images_per_second"] for e in epochs],
        "test_accuracy": test_acc,
        "wall_seconds": wall,
    }
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
