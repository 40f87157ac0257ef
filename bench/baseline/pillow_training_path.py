#!/usr/bin/python3
"""pillow_training_path.py IN_DIR OUT_DIR K [--seed N]

The bench's baseline: AugMix the way the official training scripts apply it to each image (the `aug` function of
cifar.py / imagenet.py), written for this project. Every step of a chain is one Pillow call on a uint8 RGB image
(the same calls as the official augmentations module); the K variants of an image are mixed in float32 on [0, 1]
(ToTensor's scale; Normalize is left out, the mixing weights being convex), then rounded and clipped to 8 bits and
encoded. Default AugMix: severity 3, width 3, depth 1-3 at random, alpha 1, the 9 default ops.

Every regular file of IN_DIR (sorted, dot-files skipped) is read, decoded once (EXIF orientation applied, RGB),
augmented K times and written to OUT_DIR as <stem>_<k>.jpg (JPEG input: quality 90) or .png (anything else,
Pillow's defaults). Prints one JSON line: images, variants and the seconds spent in this process.

Needs numpy and Pillow (Debian: python3-numpy, python3-pil). `npm run bench` times the whole process, pinned
to one core, beside `augmix run --concurrency 1` on the same files.
"""
import io
import json
import os
import sys
import time

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import numpy as np  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

try:  # Pillow >= 9.1 moved the constants into enums
    BILINEAR = Image.Resampling.BILINEAR
    AFFINE = Image.Transform.AFFINE
except AttributeError:  # pragma: no cover
    BILINEAR = Image.BILINEAR
    AFFINE = Image.AFFINE

SEVERITY = 3
WIDTH = 3
DEPTH = -1
ALPHA = 1.0


def level_of(rng, severity):
    """The op's strength, drawn uniformly in [0.1, severity)."""
    return rng.uniform(low=0.1, high=severity)


def scaled_int(level, top):
    return int(level * top / 10)


def scaled_float(level, top):
    return float(level) * top / 10.0


# Each op takes (rng, image) and draws its own parameters, in the official order.
def op_autocontrast(rng, img):
    return ImageOps.autocontrast(img)


def op_equalize(rng, img):
    return ImageOps.equalize(img)


def op_posterize(rng, img):
    return ImageOps.posterize(img, 4 - scaled_int(level_of(rng, SEVERITY), 4))


def op_rotate(rng, img):
    degrees = scaled_int(level_of(rng, SEVERITY), 30)
    if rng.uniform() > 0.5:
        degrees = -degrees
    return img.rotate(degrees, resample=BILINEAR)


def op_solarize(rng, img):
    return ImageOps.solarize(img, 256 - scaled_int(level_of(rng, SEVERITY), 256))


def sheared(rng, img, axis):
    amount = scaled_float(level_of(rng, SEVERITY), 0.3)
    if rng.uniform() > 0.5:
        amount = -amount
    matrix = (1, amount, 0, 0, 1, 0) if axis == "x" else (1, 0, 0, amount, 1, 0)
    return img.transform(img.size, AFFINE, matrix, resample=BILINEAR)


def translated(rng, img, axis):
    extent = img.size[0] if axis == "x" else img.size[1]
    pixels = scaled_int(level_of(rng, SEVERITY), extent / 3)
    if rng.random_sample() > 0.5:
        pixels = -pixels
    matrix = (1, 0, pixels, 0, 1, 0) if axis == "x" else (1, 0, 0, 0, 1, pixels)
    return img.transform(img.size, AFFINE, matrix, resample=BILINEAR)


OPS = [
    op_autocontrast,
    op_equalize,
    op_posterize,
    op_rotate,
    op_solarize,
    lambda rng, img: sheared(rng, img, "x"),
    lambda rng, img: sheared(rng, img, "y"),
    lambda rng, img: translated(rng, img, "x"),
    lambda rng, img: translated(rng, img, "y"),
]


def to_unit_float(img):
    """uint8 HxWx3 -> float32 on [0, 1], as ToTensor scales it."""
    return np.asarray(img, dtype=np.float32) / np.float32(255.0)


def augment_and_mix(rng, img, original):
    """One AugMix view of `img`, as the training scripts' `aug` computes it. `original` is `img` as float32
    (the training scripts convert it on every call; converting it once per image favours the baseline)."""
    weights = np.float32(rng.dirichlet([ALPHA] * WIDTH))
    m = np.float32(rng.beta(ALPHA, ALPHA))
    mix = np.zeros_like(original)
    for i in range(WIDTH):
        chained = img.copy()
        depth = DEPTH if DEPTH > 0 else rng.randint(1, 4)
        for _ in range(depth):
            op = OPS[rng.choice(len(OPS))]
            chained = op(rng, chained)
        mix += weights[i] * to_unit_float(chained)
    mixed = (np.float32(1.0) - m) * original + m * mix
    return Image.fromarray(np.clip(np.rint(mixed * np.float32(255.0)), 0, 255).astype(np.uint8), "RGB")


def main(argv):
    args = list(argv[1:])
    seed = 0
    if "--seed" in args:
        at = args.index("--seed")
        seed = int(args[at + 1])
        del args[at : at + 2]
    if len(args) != 3:
        sys.stderr.write("usage: pillow_training_path.py IN_DIR OUT_DIR K [--seed N]\n")
        return 64
    in_dir, out_dir, k = args[0], args[1], int(args[2])
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.RandomState(seed)
    started = time.perf_counter()
    images = variants = failed = 0
    for name in sorted(n for n in os.listdir(in_dir) if not n.startswith(".")):
        path = os.path.join(in_dir, name)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            opened = Image.open(io.BytesIO(data))
            is_jpeg = opened.format == "JPEG"
            img = ImageOps.exif_transpose(opened).convert("RGB")
        except Exception as error:  # noqa: BLE001 - a bad file is reported, the rest go on
            failed += 1
            sys.stderr.write(f"{path}: {error}\n")
            continue
        stem = os.path.splitext(name)[0]
        original = to_unit_float(img)
        for j in range(k):
            view = augment_and_mix(rng, img, original)
            encoded = io.BytesIO()
            if is_jpeg:
                view.save(encoded, "JPEG", quality=90)
                ext = "jpg"
            else:
                view.save(encoded, "PNG")
                ext = "png"
            with open(os.path.join(out_dir, f"{stem}_{j}.{ext}"), "wb") as handle:
                handle.write(encoded.getvalue())
            variants += 1
        images += 1
    seconds = time.perf_counter() - started
    print(json.dumps({"images": images, "variants": variants, "failed": failed, "seconds": round(seconds, 4)}))
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
