"""Writes h5py_layouts.h5: chunk indexes that PureHDF cannot write but libhdf5 writes by default.

Run with Debian's python3-h5py (libhdf5 1.10): /usr/bin/python3 make_h5py_fixture.py
The tests compare the raw readers with PureHDF's own reads of this file, so its contents only
need to be deterministic, not meaningful.
"""
import h5py
import numpy as np

rng = np.random.default_rng(7)
u8 = rng.integers(0, 256, size=(37, 12, 10, 3), dtype=np.uint8)
f32 = rng.standard_normal((37, 3, 10, 12)).astype(np.float32)
many = rng.integers(0, 256, size=(1100, 6, 5, 3), dtype=np.uint8)

with h5py.File("h5py_layouts.h5", "w", libver="earliest") as f:
    # Layout v3, version-1 B-tree: the h5py default for any chunked dataset.
    f.create_dataset("btree_one_per_chunk", data=u8, chunks=(1, 12, 10, 3))
    f.create_dataset("btree_multi_gzip_shuffle", data=f32, chunks=(4, 3, 10, 12), compression="gzip", shuffle=True)
    f.create_dataset("btree_auto_chunks_gzip", data=u8, chunks=(5, 5, 4, 2), compression="gzip")
    f.create_dataset("contiguous", data=u8)

with h5py.File("h5py_layouts_latest.h5", "w", libver="latest") as f:
    # Layout v4: a fixed array of more than 2^10 entries is paged; maxshape gives an extensible array.
    f.create_dataset("fixed_array_paged_gzip", data=many, chunks=(1, 6, 5, 3), compression="gzip")
    f.create_dataset("fixed_array_paged", data=many, chunks=(1, 6, 5, 3))
    f.create_dataset("extensible_array", data=u8, chunks=(4, 12, 10, 3), maxshape=(None, 12, 10, 3))
