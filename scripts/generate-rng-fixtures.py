#!/usr/bin/python3
"""Write test/fixtures/golden/rng.json: draw sequences of numpy's legacy RandomState.

They pin src/augmix/random/ (the TypeScript port of np.random.RandomState) independently of the AugMix
sampler: the MT19937 seeding (first/last state words), raw 32-bit outputs across state regenerations,
and, per seed, a scripted interleaving of every draw the port supports (random, uniform, randint,
choice, standard_normal, standard_exponential, standard_gamma, beta, dirichlet) with alphas from 0.001
to 5. numpy returns NaN for some tiny-alpha Dirichlet draws (0/0 after the gammas underflow); those
results are written as null and the TS test checks its documented fallback instead, plus that the
stream stays aligned (the next calls still match).

It also writes tiny-alpha AugMix records drawn by the harness's levels.sample_record (the same sampler as
`replay.py sample`): half of them have numpy NaN/inf weights, for which the TS sampler must still return
the same m and chains (the Dirichlet draw consumes the stream exactly like numpy's) and finite weights.

Run from the repository root with Debian's Python (numpy 1.24):
  /usr/bin/python3 scripts/generate-rng-fixtures.py [--ref ../shared/augmix-ref]
"""
import argparse
import hashlib
import json
import math
import os
import platform
import sys

import numpy as np

OUT = os.path.join("test", "fixtures", "golden", "rng.json")
SEEDS = [0, 1, 5, 42, 123456789, 2**31 - 1, 2**32 - 1]
RAW_COUNT = {0: 1300, 2**32 - 1: 1300}  # crosses two state regenerations (624 words each)
CALLS_PER_SEED = 400

MENU = (
    [["random"], ["uniform"], ["uniform", 0.1, 3.0], ["uniform", 0.1, 10.0], ["uniform", -2.5, 7.25]]
    + [["randint", lo, hi] for lo, hi in [(1, 4), (0, 9), (0, 13), (0, 1), (-5, 1000), (0, 2**32), (7, 2**31)]]
    + [["choice", n] for n in (9, 13)]
    + [["standard_normal"], ["standard_exponential"]]
    + [["standard_gamma", s] for s in (0.001, 0.3, 0.5, 1.0, 2.0, 5.0)]
    + [["beta", a, b] for a, b in [(0.001, 0.001), (0.3, 0.3), (0.5, 0.5), (1.0, 1.0), (2.0, 2.0),
                                    (0.5, 3.0), (5.0, 5.0)]]
    + [["dirichlet", [a] * k] for a in (0.001, 0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 5.0) for k in (1, 2, 3, 4)]
)


def num(x):
    """JSON-safe float: NaN/inf become None."""
    x = float(x)
    return x if math.isfinite(x) else None


def call(rs, spec):
    name, args = spec[0], spec[1:]
    if name == "random":
        return num(rs.random_sample())
    if name == "uniform":
        return num(rs.uniform(*args))
    if name == "randint":
        return int(rs.randint(args[0], args[1]))
    if name == "choice":
        return int(rs.choice(list(range(args[0]))))
    if name == "standard_normal":
        return num(rs.standard_normal())
    if name == "standard_exponential":
        return num(rs.standard_exponential())
    if name == "standard_gamma":
        return num(rs.standard_gamma(args[0]))
    if name == "beta":
        return num(rs.beta(args[0], args[1]))
    if name == "dirichlet":
        d = rs.dirichlet(args[0])
        return [num(v) for v in d] if all(math.isfinite(v) for v in d) else None
    raise ValueError(name)


# (severity, width, depth, alpha, allOps, (W, H)), and how many records with finite / non-finite numpy weights
TINY_ALPHA_CONFIGS = [(3, 3, -1, 0.001, True, (32, 32)), (5, 2, 2, 0.002, False, (300, 200))]
TINY_ALPHA_PER_KIND = 10


def tiny_alpha_records(ref):
    sys.path.insert(0, ref)
    import levels  # noqa: E402  (the harness's sampler)

    cases = []
    for severity, width, depth, alpha, all_ops, size in TINY_ALPHA_CONFIGS:
        counts = {True: 0, False: 0}
        seed = 0
        while min(counts.values()) < TINY_ALPHA_PER_KIND:
            if seed > 100000:
                raise RuntimeError("too few records of one kind for alpha %r" % alpha)
            with np.errstate(all="ignore"):
                rec = levels.sample_record(np.random.RandomState(seed), severity, width, depth, alpha, all_ops, size)
            finite = all(math.isfinite(w) for w in rec["weights"])
            if counts[finite] < TINY_ALPHA_PER_KIND:
                counts[finite] += 1
                rec["weights"] = [num(w) for w in rec["weights"]]
                cases.append({
                    "seed": seed,
                    "params": {"severity": severity, "width": width, "depth": depth, "alpha": alpha,
                               "allOps": all_ops},
                    "size": list(size),
                    "numpyWeightsFinite": finite,
                    "record": rec,
                })
            seed += 1
    return cases


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=os.path.join("..", "shared", "augmix-ref"), help="the harness folder")
    args = ap.parse_args()
    script_rng = np.random.RandomState(20240601)
    seeds = []
    for seed in SEEDS:
        rs = np.random.RandomState(seed)
        key = rs.get_state()[1]
        entry = {"seed": seed, "stateHead": [int(v) for v in key[:4]], "stateTail": int(key[-1])}
        raw = np.random.RandomState(seed)
        entry["uint32"] = [int(raw.randint(0, 2**32, dtype=np.uint32)) for _ in range(RAW_COUNT.get(seed, 8))]
        calls = []
        for _ in range(CALLS_PER_SEED):
            spec = MENU[script_rng.randint(len(MENU))]
            calls.append({"call": spec, "result": call(rs, spec)})
        entry["calls"] = calls
        seeds.append(entry)
    doc = {
        "generator": {
            "script": "scripts/generate-rng-fixtures.py",
            "python": platform.python_version(),
            "numpy": np.__version__,
            "machine": platform.machine(),
            "how": "np.random.RandomState(seed); each call's result (NaN written as null)",
            "harness": {"levels.py": sha256(os.path.join(args.ref, "levels.py"))},
        },
        "seeds": seeds,
        "tinyAlphaRecords": tiny_alpha_records(args.ref),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    nan = sum(1 for s in seeds for c in s["calls"] if c["result"] is None)
    print("wrote %s (%d seeds, %d calls, %d NaN results)" % (OUT, len(seeds), len(seeds) * CALLS_PER_SEED, nan),
          file=sys.stderr)


if __name__ == "__main__":
    main()
