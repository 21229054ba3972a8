#!/usr/bin/python3
"""Writes real data sets in the file formats DeclarativeDistill reads, to try the readers and the MNIST sample on them.

    /usr/bin/python3 tools/data-formats/write_datasets.py OUT [--limit N] [--fashion DIR]

Debian's packages will do: python3-numpy, python3-pil, python3-sklearn, and dataset-fashion-mnist for the images
(apt-get install -y python3-numpy python3-pil python3-sklearn dataset-fashion-mnist). Nothing here is committed:
write OUT outside the repository. Under OUT it writes

  fashion-png/    train/<class>/<index>.png and test/<class>/<index>.png, 28x28 8-bit grayscale, lossless, and
                  classes.txt, the class names in Fashion-MNIST's label order (T-shirt_top = 0, ..., Ankle_boot = 9);
  fashion-csv/    train.csv and test.csv: pixel0..pixel783 as pixel / 255 with 4 decimals, then label (0-9);
  fashion-npy/    train_x.npy, test_x.npy: uint8 [N, 28, 28], pixels 0..255 as in the IDX files (the sample divides
                  them by 255); train_y.npy, test_y.npy: int64 [N] labels 0-9;
  tabular/        wine.csv (178 x 13, classes class_0..class_2) and breast_cancer.csv (569 x 30, malignant/benign),
                  scikit-learn's bundled copies of the UCI sets: a header of the feature names, values as scikit-learn
                  holds them, and the class NAME in the last column, 'label'.

Parquet is not written: pyarrow is not packaged for this Debian.

Each Fashion-MNIST split (the first N images with --limit N, else all) is written in the same order in all three formats:
by label, then by position in the IDX file. That is the order an image folder is read in (class by class, files by
name), so the sample sees the same examples in the same order from each format, and the formats can be compared number
for number. The images differ only where CSV's 4 decimals round pixel / 255 (by at most 0.00005).
"""
import argparse
import csv
import gzip
import os

import numpy as np
from PIL import Image
from sklearn.datasets import load_breast_cancer, load_wine

FASHION_CLASSES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot"]


def read_idx(path):
    """An IDX file (gzipped) as a uint8 array of its dimensions: images [N, 28, 28] or labels [N]."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def read_split(fashion_dir, prefix, limit):
    """The first `limit` images and labels of a split, ordered by label, then by position in the file."""
    images = read_idx(os.path.join(fashion_dir, f"{prefix}-images-idx3-ubyte.gz"))[:limit]
    labels = read_idx(os.path.join(fashion_dir, f"{prefix}-labels-idx1-ubyte.gz"))[:limit].astype(np.int64)
    order = np.argsort(labels, kind="stable")
    return images[order], labels[order], order


def write_png(out, split, images, labels, positions):
    """One 8-bit grayscale PNG per image, named by its position in the IDX file so that names sort in file order."""
    for name in FASHION_CLASSES:
        os.makedirs(os.path.join(out, split, name), exist_ok=True)
    for image, label, position in zip(images, labels, positions):
        Image.fromarray(image).save(os.path.join(out, split, FASHION_CLASSES[label], f"{position:05d}.png"))


def write_csv(path, images, labels):
    """pixel0..pixel783 as pixel / 255 with 4 decimals, then the label as an integer."""
    rows = np.concatenate([images.reshape(len(images), -1) / 255.0, labels[:, None]], axis=1)
    header = ",".join([f"pixel{i}" for i in range(rows.shape[1] - 1)] + ["label"])
    np.savetxt(path, rows, fmt=["%.4f"] * (rows.shape[1] - 1) + ["%d"], delimiter=",", header=header, comments="")


def write_fashion(out, fashion_dir, limit):
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images, labels, order = read_split(fashion_dir, prefix, limit)
        write_png(os.path.join(out, "fashion-png"), split, images, labels, order)
        os.makedirs(os.path.join(out, "fashion-csv"), exist_ok=True)
        write_csv(os.path.join(out, "fashion-csv", f"{split}.csv"), images, labels)
        os.makedirs(os.path.join(out, "fashion-npy"), exist_ok=True)
        np.save(os.path.join(out, "fashion-npy", f"{split}_x.npy"), images)
        np.save(os.path.join(out, "fashion-npy", f"{split}_y.npy"), labels)
        print(f"Fashion-MNIST {split}: {len(images)} images, per class {np.bincount(labels, minlength=10).tolist()}")
    with open(os.path.join(out, "fashion-png", "classes.txt"), "w") as f:
        f.write("\n".join(FASHION_CLASSES) + "\n")


def write_table(path, bunch):
    """A scikit-learn data set as CSV: the feature names, then 'label' holding each row's class name."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(bunch.feature_names) + ["label"])
        for features, target in zip(bunch.data, bunch.target):
            writer.writerow([repr(float(v)) for v in features] + [bunch.target_names[target]])
    print(f"{os.path.basename(path)}: {bunch.data.shape[0]} rows x {bunch.data.shape[1]} features, classes {list(bunch.target_names)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="the directory to write into (created if missing); not inside the repository")
    parser.add_argument("--limit", type=int, default=None, help="write only the first N images of each Fashion-MNIST split (default: all)")
    parser.add_argument("--fashion", default="/usr/share/datasets/fashion-mnist",
                        help="the Fashion-MNIST IDX files (default: where Debian's dataset-fashion-mnist puts them)")
    args = parser.parse_args()
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    os.makedirs(args.out, exist_ok=True)
    write_fashion(args.out, args.fashion, args.limit)
    os.makedirs(os.path.join(args.out, "tabular"), exist_ok=True)
    write_table(os.path.join(args.out, "tabular", "wine.csv"), load_wine())
    write_table(os.path.join(args.out, "tabular", "breast_cancer.csv"), load_breast_cancer())


if __name__ == "__main__":
    main()
