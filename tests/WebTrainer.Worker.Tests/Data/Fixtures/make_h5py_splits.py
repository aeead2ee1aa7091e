"""Writes h5py_splits_*.h5: one small train/valid/test image set stored four ways by libhdf5.

Run here with Debian's python3-h5py (libhdf5 1.10) and dataset-fashion-mnist installed:
    /usr/bin/python3 make_h5py_splits.py
The files are committed, so the tests need neither python nor the dataset.

Every file holds the same pixels and labels (so a test can demand byte-identical reads and
identical training metrics), in the layouts users' preprocessing scripts produce:
  contiguous   h5py's default: no chunks, no maxshape (the reference copy)
  earray       libver="latest", maxshape=(None, ...), one image per chunk: extensible-array index
  btree2       libver="latest", two unlimited dimensions: version-2 B-tree index
  earray_gzip  the extensible array with gzip
The resizable ones are grown batch by batch, as a script that appends to a file does.

Datasets: {train,valid,test}_img uint8 [N,16,16,3]; {split}_labels int64 [N] (class indices);
{split}_onehot float32 [N,10].
"""
import gzip
import os

import h5py
import numpy as np

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
SIZE = 16
CLASSES = 10
SPLITS = {"train": 256, "valid": 64, "test": 64}
APPEND_ROWS = 50  # not a divisor of any split size: the last append is partial


def fashion_mnist(count):
    with gzip.open(os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:count]
    with gzip.open(os.path.join(FASHION_MNIST, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:count]
    return images, labels.astype(np.int64)


def to_colour(grey, rng):
    """28x28 grey -> 16x16 RGB: pad to 32, average 2x2, tint each garment with its own colour."""
    padded = np.pad(grey.astype(np.float32), ((0, 0), (2, 2), (2, 2)))
    small = padded.reshape(-1, SIZE, 2, SIZE, 2).mean(axis=(2, 4)) / 255.0
    tint = rng.uniform(0.35, 1.0, size=(len(grey), 1, 1, 3)).astype(np.float32)
    background = rng.uniform(0.0, 0.15, size=(len(grey), 1, 1, 3)).astype(np.float32)
    rgb = background + small[..., None] * tint
    return np.clip(np.rint(rgb * 255.0), 0, 255).astype(np.uint8)


def make_data():
    rng = np.random.default_rng(2026)
    total = sum(SPLITS.values())
    grey, labels = fashion_mnist(total)
    images = to_colour(grey, rng)
    data, start = {}, 0
    for split, count in SPLITS.items():
        split_labels = labels[start:start + count]
        data[split] = (images[start:start + count], split_labels, np.eye(CLASSES, dtype=np.float32)[split_labels])
        start += count
    return data


def write_whole(f, name, values):
    f.create_dataset(name, data=values)


def appender(maxshape, chunks, **filters):
    """A writer that creates an empty resizable dataset and appends APPEND_ROWS rows at a time."""
    def write(f, name, values):
        shape = (0,) + values.shape[1:]
        dataset = f.create_dataset(name, shape=shape, dtype=values.dtype, maxshape=maxshape(values),
                                   chunks=chunks(values), **filters)
        for start in range(0, len(values), APPEND_ROWS):
            part = values[start:start + APPEND_ROWS]
            dataset.resize(start + len(part), axis=0)
            dataset[start:start + len(part)] = part
    return write


def one_unlimited(values):
    return (None,) + values.shape[1:]


def two_unlimited(values):
    return (None, None) + values.shape[2:] if values.ndim >= 2 else (None,)


def images_one_per_chunk(values):
    return (1,) + values.shape[1:] if values.ndim == 4 else True


LAYOUTS = {
    "contiguous": ("earliest", write_whole),
    "earray": ("latest", appender(one_unlimited, images_one_per_chunk)),
    "btree2": ("latest", appender(two_unlimited, images_one_per_chunk)),
    "earray_gzip": ("latest", appender(one_unlimited, images_one_per_chunk, compression="gzip")),
}


def main():
    data = make_data()
    here = os.path.dirname(os.path.abspath(__file__))
    for layout, (libver, write) in LAYOUTS.items():
        with h5py.File(os.path.join(here, f"h5py_splits_{layout}.h5"), "w", libver=libver) as f:
            for split, (images, labels, onehot) in data.items():
                write(f, f"{split}_img", images)
                write(f, f"{split}_labels", labels)
                write(f, f"{split}_onehot", onehot)


if __name__ == "__main__":
    main()
