#!/usr/bin/python3
"""Small .npy and .npz files written by real NumPy, and the values NumPy reads back from them, for NumPyTests.

Run from the repository root (Debian's python3-numpy will do: /usr/bin/python3 tools/numpy-fixtures/make_fixtures.py).
It writes tests/DeclarativeDistill.Tests/Data/NumPyFixtures/*.npy, *.npz and expected.json. Seeded
(np.random.default_rng(20260)), so a rerun with the same NumPy writes the same files.

expected.json maps each array (a file name, or "file.npz/member" for an archive member) to:
  shape   the array's shape as NumPy reports it,
  dtype   its dtype descriptor (the header's 'descr'),
  values  every element in C order, as the float32 the C# reader makes of a feature array (a.astype(np.float32),
          exact in JSON: a float32 widened to a double prints and parses back to itself); integers for labels,
  sum     the sum of those values in float64 (the only check of cluster_x.npy, which is there to be trained on).
Arrays the reader must refuse (fortran order, objects, NaN, ...) are listed with shape and dtype only.
"""
import json
import os

import numpy as np

OUT = os.path.join("tests", "DeclarativeDistill.Tests", "Data", "NumPyFixtures")
rng = np.random.default_rng(20260)
expected = {}


def describe(name, a, as_labels=False, with_values=True):
    values = a.astype(np.int64) if as_labels else a.astype(np.float32)
    expected[name] = {"shape": list(a.shape), "dtype": a.dtype.str}
    if with_values:
        expected[name]["values"] = [int(v) for v in values.ravel()] if as_labels else [float(v) for v in values.ravel()]
    expected[name]["sum"] = float(values.astype(np.float64).sum())


def save(file, a, as_labels=False, check=True, with_values=True):
    path = os.path.join(OUT, file)
    np.save(path, a)
    if check:
        back = np.load(path)
        assert back.dtype == a.dtype and back.shape == a.shape and np.array_equal(back, a)
        describe(file, back, as_labels, with_values)
    else:
        expected[file] = {"shape": list(a.shape), "dtype": a.dtype.str}


def main():
    os.makedirs(OUT, exist_ok=True)

    # Features: vectors [N, D] of each supported dtype.
    save("f32_vectors.npy", rng.standard_normal((6, 5)).astype(np.float32))
    save("f64_vectors.npy", rng.standard_normal((4, 3)) * 100)
    save("f16_vectors.npy", rng.standard_normal((3, 4)).astype(np.float16))
    save("i8_vectors.npy", rng.integers(-128, 128, (3, 4)).astype(np.int8))
    save("i16_vectors.npy", rng.integers(-30000, 30000, (3, 4)).astype(np.int16))
    save("i32_vectors.npy", rng.integers(-10**6, 10**6, (3, 4)).astype(np.int32))
    save("i64_vectors.npy", rng.integers(-10**6, 10**6, (3, 4)).astype(np.int64))

    # Images: uint8 [N, H, W] (MNIST-like, 0..255) and float32 [N, C, H, W].
    save("u8_images.npy", rng.integers(0, 256, (5, 6, 7)).astype(np.uint8))
    save("f32_images.npy", rng.random((3, 2, 4, 4)).astype(np.float32))

    # Labels: int64 for the vectors, int32 for the uint8 images, uint8 for the float images.
    save("i64_labels.npy", np.array([0, 3, 1, 2, 3, 0], dtype=np.int64), as_labels=True)
    save("i32_labels.npy", rng.integers(0, 10, 5).astype(np.int32), as_labels=True)
    save("u8_labels.npy", np.array([2, 0, 1], dtype=np.uint8), as_labels=True)
    save("f64_labels.npy", np.array([1.0, 0.0, 2.0, 1.0, 0.0, 2.0]), as_labels=True)  # integral floats: accepted
    save("f64_fractional_labels.npy", np.array([1.0, 0.0, 2.5, 1.0, 0.0, 2.0]), check=False)
    save("negative_labels.npy", np.array([0, 1, 2, -1, 0, 1], dtype=np.int64), check=False)
    save("short_labels.npy", np.array([0, 1, 2, 1, 0], dtype=np.int64), as_labels=True)

    # A small learnable problem for training: four Gaussian clusters in 12 dimensions (the tests' ClusterTeacher).
    centres = rng.standard_normal((4, 12)) * 2
    cluster_y = rng.integers(0, 4, 64)
    save("cluster_x.npy", (centres[cluster_y] + rng.standard_normal((64, 12))).astype(np.float32), with_values=False)
    save("cluster_y.npy", cluster_y.astype(np.int64), as_labels=True)

    # Big-endian (as written on a big-endian machine, or by a.astype('>f4')).
    save("f32_big_endian.npy", rng.standard_normal((4, 3)).astype(">f4"))
    save("i64_big_endian_labels.npy", np.array([1, 0, 1, 1], dtype=">i8"), as_labels=True)

    # Format version 2.0 (a 4-byte header length), which NumPy writes for headers over 65535 bytes.
    a = rng.standard_normal((2, 3)).astype(np.float32)
    with open(os.path.join(OUT, "f32_version2.npy"), "wb") as f:
        np.lib.format.write_array(f, a, version=(2, 0))
    describe("f32_version2.npy", np.load(os.path.join(OUT, "f32_version2.npy")))

    # Arrays the reader refuses.
    save("fortran_order.npy", np.asfortranarray(rng.standard_normal((4, 3)).astype(np.float32)), check=False)
    save("objects.npy", np.array([1, "a", None], dtype=object), check=False)
    with_nan = rng.standard_normal((4, 3)).astype(np.float32)
    with_nan[2, 1] = np.nan
    save("f32_nan.npy", with_nan, check=False)
    with_inf = rng.standard_normal((3, 2, 2)).astype(np.float32)
    with_inf[1, 1, 0] = -np.inf
    save("f32_inf_images.npy", with_inf, check=False)
    save("f64_overflow.npy", np.array([[1.0, 2.0], [3.0, 1e300]]), check=False)
    save("five_dims.npy", np.zeros((2, 1, 1, 1, 2), dtype=np.float32), check=False)
    save("bools.npy", np.array([[True, False], [False, True]]), check=False)
    save("structured.npy", np.zeros(3, dtype=[("a", "<f4"), ("b", "<i4")]), check=False)

    # Archives: np.savez (stored) and np.savez_compressed (deflated), with the default names and others.
    x = rng.standard_normal((5, 4)).astype(np.float32)
    y = np.array([1, 0, 2, 2, 1], dtype=np.int64)
    np.savez(os.path.join(OUT, "stored.npz"), x=x, y=y)
    images = rng.integers(0, 256, (4, 3, 3)).astype(np.uint8)
    targets = np.array([0, 1, 1, 0], dtype=np.int32)
    np.savez_compressed(os.path.join(OUT, "compressed.npz"), images=images, targets=targets, extra=np.arange(3))
    for archive in ("stored.npz", "compressed.npz"):
        with np.load(os.path.join(OUT, archive)) as z:
            for member in z.files:
                describe(f"{archive}/{member}", z[member], as_labels=z[member].ndim == 1)

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        # One line per array: small, and a diff shows which array changed.
        f.write('{"numpy": ' + json.dumps(np.__version__) + ', "arrays": {\n')
        f.write(",\n".join(json.dumps(name) + ": " + json.dumps(entry) for name, entry in expected.items()))
        f.write("\n}}\n")


if __name__ == "__main__":
    main()
