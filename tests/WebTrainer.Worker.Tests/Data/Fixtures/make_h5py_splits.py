"""Writes h5py_splits_*.h5: one small train/valid/test image set stored many ways by libhdf5.

Run here with Debian's python3-h5py (libhdf5 1.10), python3-hdf5plugin, hdf5-filter-plugin,
hdf5-filter-plugin-blosc-serial, python3-zstandard and dataset-fashion-mnist installed:
    /usr/bin/python3 make_h5py_splits.py [layout ...]
(libver="latest" files come out with new timestamps each run, so name the layouts you change.) The files are committed, so the tests need neither python nor the dataset.

Every file holds the same pixels and labels (so a test can demand byte-identical reads and
identical training metrics), in the layouts users' preprocessing scripts produce:
  contiguous   h5py's default: no chunks, no maxshape (the reference copy)
  earray       libver="latest", maxshape=(None, ...), one image per chunk: extensible-array index
  btree2       libver="latest", two unlimited dimensions: version-2 B-tree index
  earray_gzip  the extensible array with gzip
  fletcher32   fletcher32=True, two images per chunk (v1 B-tree); valid_img also shuffle+gzip;
               odd_img has 75-byte chunks (odd_ref: the same, plain)
  lzf          h5py's own LZF: guessed chunks + shuffle, one image per chunk, one per chunk + shuffle;
               labels with LZF and guessed chunks
  bigendian    '>f4' pixels (the uint8 values, so training with rescale 1/255 matches), chunked
               shuffle+gzip, contiguous and resizable; '>i8' labels, '>f4' one-hot, and extra
               train_img_f2 '>f2', train_labels_u2 '>u2' and compact_img (compact '>f4')
  lz4          hdf5plugin.LZ4(): one image per chunk; four per chunk in 512-byte LZ4 blocks; + shuffle
  zstd         filter 32015 (no Debian plugin: chunks are written pre-compressed, one of them with
               its filter-mask bit set, i.e. stored as is)
  blosc        hdf5plugin.Blosc() on train_img, which the Worker refuses with a clear message
The resizable ones are grown batch by batch, as a script that appends to a file does. The labels of
the lzf, lz4 and zstd files are compressed the same way (PureHDF cannot decode them, the raw path
can); the blosc file keeps its labels plain.

Datasets: {train,valid,test}_img uint8 [N,16,16,3]; {split}_labels int64 [N] (class indices);
{split}_onehot float32 [N,10]. The lzf, lz4 and zstd files also hold noise_img (random bytes,
which the compressor cannot shrink, so the chunk is stored as is) and noise_ref (the same, plain).
"""
import gzip
import os
import sys

import h5py
import hdf5plugin
import numpy as np
import zstandard

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


def chunked(rows, **filters):
    """Images in chunks of `rows` whole images; anything else (labels) written plain."""
    def write(f, name, values):
        if values.ndim == 4:
            f.create_dataset(name, data=values, chunks=(rows,) + values.shape[1:], **filters)
        else:
            f.create_dataset(name, data=values)
    return write


def with_filters(**filters):
    """Every dataset, labels too, with these filters and h5py's guessed chunks."""
    def write(f, name, values):
        f.create_dataset(name, data=values, **filters)
    return write


def per_split(writers, labels=write_whole):
    """A different image writer per split (by dataset name prefix); labels with `labels`."""
    def write(f, name, values):
        if values.ndim != 4:
            labels(f, name, values)
            return
        writers[name.split("_")[0]](f, name, values)
    return write


def big_endian(write):
    def convert(f, name, values):
        if values.ndim == 4:
            write(f, name, values.astype(">f4"))
            if name == "train_img":
                f.create_dataset("train_img_f2", data=values.astype(">f2"), chunks=(8,) + values.shape[1:])
        elif values.dtype == np.int64:
            write(f, name, values.astype(">i8"))
            if name == "train_labels":
                f.create_dataset("train_labels_u2", data=values.astype(">u2"))
        else:
            write(f, name, values.astype(">f4"))
    return convert


ZSTD = 32015


def zstd_images(rows, level):
    """Filter 32015 set as optional in the dcpl through the low-level API, chunks of `rows` rows written pre-compressed."""
    def write(f, name, values):
        chunks = (rows,) + values.shape[1:]
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk(chunks)
        dcpl.set_filter(ZSTD, h5py.h5z.FLAG_OPTIONAL, (level,))
        space = h5py.h5s.create_simple(values.shape, values.shape)
        dataset = h5py.h5d.create(f.id, name.encode(), h5py.h5t.py_create(values.dtype), space, dcpl=dcpl)
        compressor = zstandard.ZstdCompressor(level=level)
        for start in range(0, len(values), rows):
            block = np.zeros(chunks, values.dtype)
            part = values[start:start + rows]
            block[:len(part)] = part
            offset = (start,) + (0,) * (values.ndim - 1)
            if start == rows:
                dataset.write_direct_chunk(offset, block.tobytes(), filter_mask=1)  # stored as is, as a failed optional filter leaves it
            else:
                dataset.write_direct_chunk(offset, compressor.compress(block.tobytes()))
    return write


def add_noise(filters):
    def add(f):
        noise = np.random.default_rng(7).integers(0, 256, size=(8, SIZE, SIZE, 3), dtype=np.uint8)
        if filters == "zstd":
            zstd_images(1, 3)(f, "noise_img", noise)
        else:
            f.create_dataset("noise_img", data=noise, chunks=(1, SIZE, SIZE, 3), **filters)
        f.create_dataset("noise_ref", data=noise)
    return add


def add_compact_big_endian(f):
    """A layout without a raw path, which PureHDF cannot byte-swap either: refused at open."""
    values = np.arange(4 * SIZE * SIZE * 3, dtype=">f4").reshape(4, SIZE, SIZE, 3)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple(values.shape)
    h5py.h5d.create(f.id, b"compact_img", h5py.h5t.py_create(values.dtype), space, dcpl=dcpl).write(
        h5py.h5s.ALL, h5py.h5s.ALL, values)


def add_odd_length(f):
    """75-byte chunks: the checksum's odd last byte."""
    odd = np.random.default_rng(5).integers(0, 256, size=(6, 5, 5, 3), dtype=np.uint8)
    f.create_dataset("odd_img", data=odd, chunks=(1, 5, 5, 3), fletcher32=True)
    f.create_dataset("odd_ref", data=odd)


LAYOUTS = {
    "contiguous": ("earliest", write_whole, None),
    "earray": ("latest", appender(one_unlimited, images_one_per_chunk), None),
    "btree2": ("latest", appender(two_unlimited, images_one_per_chunk), None),
    "earray_gzip": ("latest", appender(one_unlimited, images_one_per_chunk, compression="gzip"), None),
    "fletcher32": ("earliest", per_split({
        "train": chunked(2, fletcher32=True),
        "valid": chunked(2, fletcher32=True, shuffle=True, compression="gzip"),
        "test": chunked(1, fletcher32=True),
    }, labels=with_filters(fletcher32=True)), add_odd_length),
    "lzf": ("earliest", per_split({
        "train": with_filters(compression="lzf", shuffle=True),
        "valid": chunked(1, compression="lzf"),
        "test": chunked(1, compression="lzf", shuffle=True),
    }, labels=with_filters(compression="lzf")), add_noise({"compression": "lzf"})),
    "bigendian": ("latest", big_endian(per_split({
        "train": chunked(1, shuffle=True, compression="gzip"),
        "valid": write_whole,
        "test": appender(one_unlimited, images_one_per_chunk),
    })), add_compact_big_endian),
    "lz4": ("earliest", per_split({
        "train": chunked(1, **hdf5plugin.LZ4()),
        "valid": chunked(4, **hdf5plugin.LZ4(nbytes=512)),
        "test": chunked(1, shuffle=True, **hdf5plugin.LZ4()),
    }, labels=with_filters(chunks=True, **hdf5plugin.LZ4())), add_noise(hdf5plugin.LZ4())),
    "zstd": ("latest", per_split({
        "train": zstd_images(1, 3),
        "valid": zstd_images(4, 19),
        "test": zstd_images(1, 1),
    }, labels=zstd_images(16, 3)), add_noise("zstd")),
    "blosc": ("earliest", per_split({
        "train": chunked(1, **hdf5plugin.Blosc()),
        "valid": write_whole,
        "test": write_whole,
    }), None),
}


def main(layouts):
    data = make_data()
    here = os.path.dirname(os.path.abspath(__file__))
    for layout in layouts or LAYOUTS:
        libver, write, extra = LAYOUTS[layout]
        with h5py.File(os.path.join(here, f"h5py_splits_{layout}.h5"), "w", libver=libver) as f:
            for split, (images, labels, onehot) in data.items():
                write(f, f"{split}_img", images)
                write(f, f"{split}_labels", labels)
                write(f, f"{split}_onehot", onehot)
            if extra is not None:
                extra(f)


if __name__ == "__main__":
    main(sys.argv[1:])
