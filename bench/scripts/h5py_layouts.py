"""Rewrites a bench file (train_img N,H,W,3 uint8 + train_labels) into the layouts h5py users write,
same pixels and labels in each, for `bench layouts`:

    /usr/bin/python3 h5py_layouts.py SOURCE.h5 OUTDIR [LAYOUT ...]

Debian 12: apt-get install python3-h5py python3-hdf5plugin hdf5-filter-plugin (LZ4).
Layouts (default: all):
  guessed_gzip   compression="gzip", no chunks= (h5py guesses them: what most scripts produce)
  lzf            compression="lzf", one image per chunk
  fletcher32     fletcher32=True, one image per chunk
  lz4            hdf5plugin.LZ4(), one image per chunk
  earray         libver="latest", maxshape=(None, ...), one image per chunk (extensible-array index)
  btree2         libver="latest", two unlimited axes (version-2 B-tree index)
  bigendian      float16 '>f2' pixels, contiguous
Rows are copied in blocks, so memory stays bounded whatever the file size.
"""
import os
import sys

import h5py
import numpy as np

BLOCK = 256


def copy(src, dst, name, dtype=None, **kwargs):
    images = src["train_img"]
    n = images.shape[0]
    out = dst.create_dataset("train_img", shape=images.shape, dtype=dtype or images.dtype, **kwargs)
    for start in range(0, n, BLOCK):
        block = images[start:start + BLOCK]
        out[start:start + len(block)] = block if dtype is None else block.astype(dtype)
    dst.create_dataset("train_labels", data=src["train_labels"][()])
    print(f"{name}: chunks {out.chunks}, filters {list(out._filters)}", flush=True)


def main():
    source, outdir = sys.argv[1], sys.argv[2]
    wanted = sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    with h5py.File(source, "r") as src:
        shape = src["train_img"].shape
        one = (1,) + shape[1:]
        layouts = {
            "guessed_gzip": ({}, dict(compression="gzip")),
            "lzf": ({}, dict(chunks=one, compression="lzf")),
            "fletcher32": ({}, dict(chunks=one, fletcher32=True)),
            "lz4": ({}, "lz4"),
            "earray": (dict(libver="latest"), dict(chunks=one, maxshape=(None,) + shape[1:])),
            "btree2": (dict(libver="latest"), dict(chunks=one, maxshape=(None, None) + shape[2:])),
            "bigendian": ({}, dict(dtype=">f2")),
        }
        for name, (file_kwargs, kwargs) in layouts.items():
            if wanted and name not in wanted:
                continue
            if kwargs == "lz4":
                import hdf5plugin
                kwargs = dict(chunks=one, **hdf5plugin.LZ4())
            with h5py.File(os.path.join(outdir, f"{name}.h5"), "w", **file_kwargs) as dst:
                copy(src, dst, name, **kwargs)


if __name__ == "__main__":
    main()
