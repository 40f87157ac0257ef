#!/usr/bin/python3
"""Generate the golden fixtures under test/fixtures/golden/ from the AugMix reference harness.

Run from the project root with Debian's Python (Pillow 9.4 + numpy 1.24):

    /usr/bin/python3 scripts/generate-fixtures.py [--ref ../shared/augmix-ref] [--only PART ...]

PART is one of: images, records, ops, mix (default: all, in that order). The harness modules
(levels.py, record.py, ops_pil.py, ops_np.py) are imported from --ref; every reference output comes
from the Pillow backend (`record.apply_single` / `record.run_chains` with backend "pil") and is
cross-checked against the harness's numpy backend. A few cases are also spot-checked through the
harness CLI itself (`replay.py sample` / `replay.py op`). Everything is deterministic: running the
script twice gives byte-identical files. See test/fixtures/golden/README.md for the formats.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "golden")
HARNESS_FILES = ["README.md", "levels.py", "record.py", "ops_pil.py", "ops_np.py", "replay.py",
                 "compare.py"]
PARTS = ["images", "records", "ops", "mix", "trig"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ref", default=os.path.join(ROOT, "..", "shared", "augmix-ref"),
                   help="folder of the reference harness (default ../shared/augmix-ref)")
    p.add_argument("--only", nargs="+", choices=PARTS, help="generate only these parts")
    return p.parse_args()


ARGS = parse_args()
REF = os.path.abspath(ARGS.ref)
sys.path.insert(0, REF)

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import levels  # noqa: E402
import ops_np  # noqa: E402
import record  # noqa: E402


# ------------------------------------------------------------------ helpers ---

def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def write_bytes(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def write_json(rel, obj, compact=False):
    if compact:
        text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    else:
        text = json.dumps(obj, indent=1, allow_nan=False)
    write_bytes(rel, (text + "\n").encode("utf-8"))


def gzip_bytes(data):
    # mtime=0 and no file name: byte-identical output on every run
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(data)
    return buf.getvalue()


class Blob:
    """Concatenated raw RGB outputs, written gzip'd; entries give offset/length/sha256."""

    def __init__(self, rel):
        self.rel = rel
        self.parts = []
        self.size = 0

    def add(self, arr):
        data = np.ascontiguousarray(arr, dtype=np.uint8).tobytes()
        entry = {"offset": self.size, "length": len(data), "sha256": sha256_bytes(data)}
        self.parts.append(data)
        self.size += len(data)
        return entry

    def write(self):
        write_bytes(self.rel, gzip_bytes(b"".join(self.parts)))


def png_bytes(arr):
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(arr, dtype=np.uint8), "RGB").save(buf, "PNG",
                                                                          optimize=True)
    return buf.getvalue()


# ------------------------------------------------------------ synthetic images ---

def natural_image(w, h, seed):
    """Gradients + shapes + noise: something like a photo with edges and smooth regions."""
    rs = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 40 + 180 * xx / max(w - 1, 1)
    g = 30 + 160 * yy / max(h - 1, 1)
    b = 128 + 90 * np.sin(xx / 5.0) * np.cos(yy / 7.0)
    img = np.stack([r, g, b], axis=2)
    # a bright disc, a dark rectangle, a diagonal stripe
    disc = (xx - 0.62 * w) ** 2 + (yy - 0.35 * h) ** 2 < (0.2 * min(w, h)) ** 2
    img[disc] = [235, 220, 90]
    img[int(0.6 * h):int(0.85 * h), int(0.1 * w):int(0.4 * w)] = [20, 35, 60]
    stripe = np.abs((xx - yy) - 0.1 * w) < 2
    img[stripe] = [250, 250, 250]
    img += rs.normal(0, 6, size=img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def make_images():
    """name -> (H, W, 3) uint8, with a note on what each one exercises."""
    imgs = {}
    notes = {}

    def add(name, arr, note):
        assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] == 3
        imgs[name] = arr
        notes[name] = note

    def noise(w, h, seed, lo=0, hi=256):
        return np.random.RandomState(seed).randint(lo, hi, size=(h, w, 3)).astype(np.uint8)

    add("noise-1x1", noise(1, 1, 101), "single pixel")
    add("noise-2x2", noise(2, 2, 102), "tiny, even")
    add("noise-3x3", noise(3, 3, 103), "smallest size with a sharpness interior")
    add("noise-5x4", noise(5, 4, 104), "tiny, non-square")
    add("noise-17x13", noise(17, 13, 105), "odd sizes (rotation centre on a pixel centre)")
    add("noise-32x32", noise(32, 32, 106), "CIFAR size, full-range noise")
    nat = natural_image(40, 24, 107)
    add("natural-40x24", nat, "non-square, natural-ish")
    add("natural-64x64", natural_image(64, 64, 108), "natural-ish: gradients, shapes, noise")
    # edge cases
    rs = np.random.RandomState(109)
    const = rs.randint(0, 256, size=(12, 12, 3)).astype(np.uint8)
    const[..., 1] = 77  # green constant: autocontrast/equalize identity on that channel
    const[..., 2] = np.where(rs.rand(12, 12) < 0.5, 10, 200)  # blue: two values only
    add("const-channel-12x12", const, "G constant (77), B two values, R noise")
    few = (rs.randint(0, 4, size=(16, 16, 3)) * 60 + 20).astype(np.uint8)
    few[..., 2] = rs.randint(100, 126, size=(16, 16))  # lo=100, hi=125: narrow range
    add("few-values-16x16", few, "R/G four values (20, 80, 140, 200), B in 100..125")
    full = np.stack([np.arange(256).reshape(16, 16),
                     np.arange(256)[::-1].reshape(16, 16),
                     rs.permutation(256).reshape(16, 16)], axis=2).astype(np.uint8)
    add("full-range-16x16", full, "every value 0..255 exactly once per channel")
    lowc = np.stack([np.full((8, 8), 0), rs.randint(0, 26, size=(8, 8)),
                     rs.randint(3, 7, size=(8, 8))], axis=2).astype(np.uint8)
    lowc[0, 0, 1] = 0
    lowc[7, 7, 1] = 25
    add("low-contrast-8x8", lowc, "R all 0, G spans 0..25 (hi maps to 254), B in 3..6")
    grey = np.repeat(np.random.RandomState(110).randint(0, 256, size=(9, 11, 1)), 3,
                     axis=2).astype(np.uint8)
    add("grey-11x9", grey, "grey (R=G=B), odd non-square")
    return imgs, notes


def load_images():
    """The committed input PNGs, decoded the way the harness decodes (record.load_rgb)."""
    index = json.load(open(os.path.join(OUT, "images", "index.json")))
    imgs = {}
    for name, meta in index["images"].items():
        arr = record.load_rgb(os.path.join(OUT, "images", meta["file"]))
        assert arr.shape == (meta["height"], meta["width"], 3)
        imgs[name] = arr
    return imgs


def gen_images():
    imgs, notes = make_images()
    index = {}
    for name, arr in imgs.items():
        data = png_bytes(arr)
        write_bytes(os.path.join("images", name + ".png"), data)
        # the PNG must decode back to exactly the same pixels
        back = record.load_rgb(os.path.join(OUT, "images", name + ".png"))
        assert np.array_equal(back, arr), name
        index[name] = {"file": name + ".png", "width": arr.shape[1], "height": arr.shape[0],
                       "rgbSha256": sha256_bytes(arr.tobytes()), "note": notes[name]}
    write_json(os.path.join("images", "index.json"), {"images": index})
    print("images: %d" % len(index))


# ------------------------------------------------------------------ records ---

SEEDS_FIXED = [0, 1, 2, 3, 5, 42, 1234, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1]
RECORD_SEEDS_PER_CONFIG = 40

# (severity, width, depth, alpha, allOps, (W, H))
RECORD_CONFIGS = [
    (3, 3, -1, 1.0, False, (32, 32)),    # CIFAR default
    (1, 3, -1, 1.0, False, (224, 224)),  # ImageNet default
    (3, 3, -1, 1.0, True, (32, 32)),
    (1, 3, -1, 1.0, True, (224, 224)),
    (10, 3, -1, 1.0, False, (32, 32)),
    (10, 3, -1, 1.0, True, (32, 32)),
    (1, 3, -1, 1.0, False, (32, 32)),
    (3, 1, -1, 1.0, False, (32, 32)),
    (3, 2, -1, 1.0, False, (32, 32)),
    (3, 4, -1, 1.0, True, (32, 32)),
    (3, 3, 1, 1.0, False, (32, 32)),
    (3, 3, 2, 1.0, True, (32, 32)),
    (3, 3, 3, 1.0, False, (32, 32)),
    (3, 3, -1, 0.5, False, (32, 32)),
    (3, 3, -1, 2.0, True, (32, 32)),
    (3, 3, -1, 0.1, False, (32, 32)),    # alpha < 1: Dirichlet/Beta small-shape paths
    (3, 3, -1, 1.0, False, (40, 24)),
    (3, 3, -1, 1.0, True, (40, 24)),
    (10, 4, 3, 0.5, True, (40, 24)),
    (10, 2, 2, 2.0, False, (224, 224)),
    (1, 1, 1, 2.0, True, (224, 224)),
    (3, 3, -1, 1.0, False, (64, 64)),
    (10, 3, -1, 1.0, True, (64, 64)),
    (5, 4, -1, 0.5, True, (64, 64)),
]


def config_seeds(ci):
    """40 seeds for config ci: a few fixed (including 2^32 - 1), the rest spread over [0, 2^32)."""
    rs = np.random.RandomState(9000 + ci)
    drawn = [int(s) for s in rs.randint(0, 2 ** 32, size=RECORD_SEEDS_PER_CONFIG, dtype=np.uint64)]
    fixed = SEEDS_FIXED[ci % 4::4]  # three fixed seeds per config, all of them over four configs
    seeds = []
    for s in list(fixed) + [ci, 100 + ci] + drawn:
        if s not in seeds:
            seeds.append(s)
    return seeds[:RECORD_SEEDS_PER_CONFIG]


def sample(seed, sev, width, depth, alpha, all_ops, size):
    # exactly what `replay.py sample --seed S ... --size W H` does
    rng = np.random.RandomState(seed)
    return levels.sample_record(rng, sev, width, depth, alpha, all_ops, tuple(size))


def replay_cli(args):
    out = subprocess.run([sys.executable, os.path.join(REF, "replay.py")] + args,
                         check=True, capture_output=True)
    return out.stdout


def gen_records():
    cases = []
    for ci, (sev, width, depth, alpha, all_ops, size) in enumerate(RECORD_CONFIGS):
        for seed in config_seeds(ci):
            rec = sample(seed, sev, width, depth, alpha, all_ops, size)
            record.validate_record(rec)
            cases.append({
                "id": "c%02d-s%d" % (ci, seed),
                "seed": seed,
                "params": {"severity": sev, "width": width, "depth": depth, "alpha": alpha,
                           "allOps": all_ops},
                "size": list(size),
                "record": rec,
            })
    # spot-check: the harness CLI draws the same records
    checked = 0
    for case in cases[::97]:
        p = case["params"]
        args = ["sample", "--seed", str(case["seed"]), "--severity", str(p["severity"]),
                "--width", str(p["width"]), "--depth", str(p["depth"]),
                "--alpha", repr(p["alpha"]), "--size", str(case["size"][0]),
                str(case["size"][1])]
        if p["allOps"]:
            args.append("--all-ops")
        assert json.loads(replay_cli(args)) == case["record"], case["id"]
        checked += 1
    write_json("records.json", {
        "generator": generator_info("records",
                                    "levels.sample_record(np.random.RandomState(seed), severity, "
                                    "width, depth, alpha, allOps, (W, H)) == replay.py sample "
                                    "--seed S ... --size W H",
                                    {"cliSpotChecks": checked}),
        "cases": cases,
    }, compact=True)
    print("records: %d cases (%d CLI spot checks)" % (len(cases), checked))


# ---------------------------------------------------------------------- ops ---

ENHANCE_FACTORS = [0, 0.118, 0.3, 0.5, 0.64, 1, 1.5, 1.9, 2.5, 3]
SHEARS = [0, 0.003, 0.05, 0.09, 0.1, 0.2999, 0.5, 1, 1.3]


def rotate_values(w, h):
    vals = list(range(-30, 31))
    vals += [90, 180, 270, -90, -180, -270, 360, -360, 450, 540, 194, 216, 12.7, -12.7, 0.5,
             -0.25, 45, 89.99, 179.5, 359.5, -359.5, 1e-9]
    if w * h > 1024:  # keep the big images' fixtures small: every other integer angle
        vals = [v for v in vals if not (isinstance(v, int) and -30 <= v <= 30 and v % 2
                                        and abs(v) > 3)]
    return vals


def translate_values(n):
    """Integer shifts for a side of n pixels: all of -(n+2)..n+2 for small sides, else a sweep."""
    if n <= 17:
        mags = list(range(0, n + 3))
    elif n <= 40:
        mags = list(range(0, 11)) + [n // 3, n // 2, n - 1, n, n + 1, n + 2]
    else:  # integer shifts are plain copies: a short sweep is enough on the biggest image
        mags = [0, 1, 2, 3, 7, n // 3, n - 1, n, n + 1]
    mags += [3 * n + 1, 1000]
    vals = []
    for m in mags:
        for v in (m, -m):
            if v not in vals:
                vals.append(v)
    return vals


def op_cases(w, h):
    cases = [("autocontrast", None), ("equalize", None)]
    cases += [("posterize", b) for b in range(0, 9)]
    cases += [("solarize", t) for t in [-5, 0, 1, 2, 64, 127, 128, 129, 200, 254, 255, 256, 257,
                                        300]]
    cases += [("rotate", v) for v in rotate_values(w, h)]
    for op in ("shear_x", "shear_y"):
        for s in SHEARS:
            cases += [(op, s)] + ([(op, -s)] if s else [])
    cases += [("translate_x", t) for t in translate_values(w)]
    cases += [("translate_y", t) for t in translate_values(h)]
    for op in levels.EXTRA_OPS:
        cases += [(op, f) for f in ENHANCE_FACTORS]
    return cases


def gen_ops():
    imgs = load_images()
    index = {}
    total = 0
    cli_checked = 0
    for name, arr in imgs.items():
        h, w = arr.shape[:2]
        blob = Blob(os.path.join("ops", name + ".bin.gz"))
        entries = []
        for op, value in op_cases(w, h):
            record.validate_step({"op": op, "value": value}, True, "op")
            out = record.apply_single(arr, op, value, "pil")
            assert out.shape == arr.shape and out.dtype == np.uint8
            check = ops_np.apply_op(arr, op, value)
            assert np.array_equal(out, check), ("pil and numpy backends differ", name, op, value)
            entry = {"op": op, "value": value}
            entry.update(blob.add(out))
            entries.append(entry)
        blob.write()
        index[name] = {"input": "../images/" + name + ".png", "width": w, "height": h,
                       "outputs": os.path.basename(blob.rel), "cases": entries}
        total += len(entries)
    # spot-check a few cases through `replay.py op` itself (decode from the committed PNG)
    tmp = os.path.join(OUT, ".tmp-cli.png")
    try:
        for name, op, value in [("natural-40x24", "rotate", -12.7), ("noise-17x13", "shear_x", 0.5),
                                ("natural-64x64", "sharpness", 1.9),
                                ("few-values-16x16", "equalize", None),
                                ("noise-5x4", "translate_y", -2)]:
            args = ["op", "--image", os.path.join(OUT, "images", name + ".png"), "--op", op,
                    "--out", tmp]
            if value is not None:
                args += ["--value", json.dumps(value)]
            replay_cli(args)
            cli_out = record.load_rgb(tmp)
            want = record.apply_single(imgs[name], op, value, "pil")
            assert np.array_equal(cli_out, want), (name, op, value)
            cli_checked += 1
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    write_json(os.path.join("ops", "index.json"), {
        "generator": generator_info("ops", "record.apply_single(image, op, value, 'pil'), "
                                    "checked == ops_np.apply_op", {"cliSpotChecks": cli_checked}),
        "images": index,
    }, compact=True)
    print("ops: %d cases over %d images" % (total, len(index)))


# ---------------------------------------------------------------------- mix ---

MIX_IMAGE_FOR_SIZE = {(32, 32): "noise-32x32", (40, 24): "natural-40x24", (64, 64): "natural-64x64"}
MIX_CASES_PER_CONFIG = {(32, 32): 5, (40, 24): 8, (64, 64): 4}


def gen_mix():
    imgs = load_images()
    recs = json.load(open(os.path.join(OUT, "records.json")))["cases"]
    by_config = {}
    for case in recs:
        size = tuple(case["size"])
        if size not in MIX_IMAGE_FOR_SIZE:
            continue
        key = (json.dumps(case["params"], sort_keys=True), size)
        by_config.setdefault(key, []).append(case)
    blob = Blob(os.path.join("mix", "outputs.bin.gz"))
    cases = []
    for (_, size), group in by_config.items():
        for case in group[:MIX_CASES_PER_CONFIG[size]]:
            name = MIX_IMAGE_FOR_SIZE[size]
            orig = imgs[name]
            rec = case["record"]
            chains = record.run_chains(orig, rec, "pil")
            for c_pil, c_np in zip(chains, record.run_chains(orig, rec, "numpy")):
                assert np.array_equal(c_pil, c_np), ("backends differ", case["id"])
            out, v = record.mix(orig, chains, rec["weights"], rec["m"])
            # how close the float64 mix value came to a .5 rounding boundary (documents why
            # whole mixes are compared with tolerance 1)
            frac = v - np.floor(v)
            near_half = int(np.sum(np.abs(frac - 0.5) < 1e-9))
            cases.append({
                "id": case["id"],
                "image": name,
                "record": rec,
                "chains": [blob.add(c) for c in chains],
                "mix": blob.add(out),
                "nearHalf": near_half,
            })
    blob.write()
    write_json(os.path.join("mix", "index.json"), {
        "generator": generator_info("mix", "record.run_chains(image, record, 'pil') + record.mix; "
                                    "chains checked == numpy backend", {}),
        "outputs": os.path.basename(blob.rel),
        "cases": cases,
    }, compact=True)
    print("mix: %d cases" % len(cases))


# --------------------------------------------------------------------- trig ---

TRIG_FRACTIONAL = [12.7, -12.7, 0.5, -0.25, 89.99, 179.5, 359.5, -359.5, 1e-9, 33.3, -7.5, 123.456]


def pillow_cos_sin(angle):
    """round15(cos), round15(sin), round15(-sin) of -radians(angle % 360.0), as Image.rotate computes them."""
    import math
    ang = -math.radians(float(angle) % 360.0)
    return [round(math.cos(ang), 15), round(math.sin(ang), 15), round(-math.sin(ang), 15)]


def gen_trig():
    integer = [pillow_cos_sin(d) for d in range(360)]
    fractional = [{"angle": a, "cosSin": pillow_cos_sin(a)} for a in TRIG_FRACTIONAL]
    write_json("rotate-trig.json", {
        "generator": generator_info("trig", "[round(cos(-radians(a % 360.0)), 15), round(sin(...), "
                                    "15), round(-sin(...), 15)] with CPython's math module", {}),
        "integer": integer,
        "fractional": fractional,
    }, compact=True)
    print("trig: %d integer + %d fractional angles" % (len(integer), len(fractional)))


# ---------------------------------------------------------------- generator ---

def harness_hashes():
    out = {}
    for f in HARNESS_FILES:
        with open(os.path.join(REF, f), "rb") as fh:
            out[f] = sha256_bytes(fh.read())
    return out


def generator_info(part, how, extra):
    import PIL
    info = {
        "script": "scripts/generate-fixtures.py",
        "command": "/usr/bin/python3 scripts/generate-fixtures.py --ref ../shared/augmix-ref",
        "part": part,
        "how": how,
        "python": sys.version.split()[0],
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "harness": harness_hashes(),
    }
    info.update(extra)
    return info


def main():
    parts = ARGS.only or PARTS
    for part in PARTS:
        if part in parts:
            globals()["gen_" + part]()
    write_json("generator.json", generator_info("all", "see records.json, ops/index.json, "
                                                "mix/index.json and rotate-trig.json", {}))


if __name__ == "__main__":
    main()
