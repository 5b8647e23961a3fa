#!/usr/bin/python3
"""Trains a smallcall model (Dense ReLU MLP + softmax) on labelled candidate rows and exports
the model JSON with a self-test block.

    scripts/train_smallcall.py ROWS [ROWS...] --output model.json [--hidden 64,64] [--epochs 8]
                               [--seed 1] [--holdout 0.2] [--features-from small_model_info.json]

ROWS: TSV (a `label` column with the class 0/1/2, as `smallcall simulate` writes) or TFRecord
of small-model tf.Examples with `label/encoded` (one-hot), as `smallcall simulate` and
DeepVariant's make_examples (--write_small_model_examples) write; plain or gzip. Features are
used raw, as DeepVariant feeds them (no scaling layer). numpy only: minibatch Adam on the
softmax cross-entropy, seeded and deterministic. Prints held-out genotype accuracy overall
and among the rows the gate accepts at SNP GQ 20 / indel GQ 28, and stores them in the JSON.
"""
import argparse
import gzip
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wgs_features import WGS_FEATURES  # noqa: E402


def read_rows(path, features):
    with open(path, "rb") as fh:
        head = fh.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    if ".tfrecord" in path:
        import tfpy
        x, y, snp = [], [], []
        for payload in tfpy.read_tfrecords(path):
            ex = tfpy.Example.FromString(payload)
            f = ex.features.feature
            x.append(list(f["features/encoded"].int64_list.value) or list(f["features/encoded"].float_list.value))
            y.append(int(np.argmax(list(f["label/encoded"].int64_list.value))))
            ids = [b.decode() for b in f["ids/encoded"].bytes_list.value]
            snp.append(len(ids[3]) == 1 and all(len(a) == 1 for a in ids[4].split("|")))
        if features != WGS_FEATURES and x and len(x[0]) != len(features):
            raise SystemExit(f"{path}: rows have {len(x[0])} features, expected {len(features)}")
        return np.array(x, np.float32), np.array(y), np.array(snp)
    with opener(path, "rt") as fh:
        header = fh.readline().rstrip("\r\n").lstrip("#").split("\t")
        missing = [f for f in features + ["label", "ref", "alt"] if f not in header]
        if missing:
            raise SystemExit(f"{path}: missing columns {missing[:5]}")
        cols = [header.index(f) for f in features]
        li, ri, ai = header.index("label"), header.index("ref"), header.index("alt")
        x, y, snp = [], [], []
        for line in fh:
            v = line.rstrip("\r\n").split("\t")
            x.append([float(v[c]) for c in cols])
            y.append(int(v[li]))
            snp.append(len(v[ri]) == 1 and all(len(a) == 1 for a in v[ai].split("|")))
    return np.array(x, np.float32), np.array(y), np.array(snp)


def forward(params, x, keep=False):
    h, acts = x, [x]
    for i, (w, b) in enumerate(params):
        z = h @ w + b
        h = np.maximum(z, 0) if i + 1 < len(params) else z
        acts.append(h)
    z = h - h.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return (p, acts) if keep else p


def train(x, y, hidden, epochs, seed, lr=1e-3, batch=256):
    rng = np.random.default_rng(seed)
    dims = [x.shape[1]] + hidden + [3]
    params = []
    for i in range(len(dims) - 1):
        # He init; the first layer also scaled for raw feature values up to ~100.
        scale = math.sqrt(2.0 / dims[i]) / (50.0 if i == 0 else 1.0)
        params.append([rng.normal(0, scale, (dims[i], dims[i + 1])).astype(np.float64), np.zeros(dims[i + 1])])
    m = [[np.zeros_like(w), np.zeros_like(b)] for w, b in params]
    v = [[np.zeros_like(w), np.zeros_like(b)] for w, b in params]
    xs = x.astype(np.float64)
    onehot = np.eye(3)[y]
    step = 0
    for epoch in range(epochs):
        order = rng.permutation(len(xs))
        total = 0.0
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            p, acts = forward(params, xs[idx], keep=True)
            total += -np.log(np.maximum(p[np.arange(len(idx)), y[idx]], 1e-12)).sum()
            grad = (p - onehot[idx]) / len(idx)
            step += 1
            for i in range(len(params) - 1, -1, -1):
                gw = acts[i].T @ grad
                gb = grad.sum(axis=0)
                if i:
                    grad = (grad @ params[i][0].T) * (acts[i] > 0)
                for j, g in enumerate((gw, gb)):
                    m[i][j] = 0.9 * m[i][j] + 0.1 * g
                    v[i][j] = 0.999 * v[i][j] + 0.001 * g * g
                    mh = m[i][j] / (1 - 0.9 ** step)
                    vh = v[i][j] / (1 - 0.999 ** step)
                    params[i][j] -= lr * mh / (np.sqrt(vh) + 1e-8)
        print(f"epoch {epoch + 1}/{epochs}: training loss {total / len(xs):.4f}", file=sys.stderr)
    # Exported as float32, as smallcall computes.
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in params]


def forward64(params32, x):
    return forward([(w.astype(np.float64), b.astype(np.float64)) for w, b in params32], x.astype(np.float64))


def evaluate(params32, x, y, snp, snp_t=20, indel_t=28):
    p = forward64(params32, x)
    pred = p.argmax(axis=1)
    score = -10 * np.log10(1 - np.minimum(p.max(axis=1), 1 - 1e-7))
    accepted = score >= np.where(snp, snp_t, indel_t)
    return {
        "rows": int(len(y)),
        "accuracy": float((pred == y).mean()),
        "accepted_fraction": float(accepted.mean()),
        "accepted_accuracy": float((pred[accepted] == y[accepted]).mean()) if accepted.any() else None,
        "snp_gq_threshold": snp_t, "indel_gq_threshold": indel_t,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", nargs="+")
    ap.add_argument("--output", required=True)
    ap.add_argument("--hidden", default="64,64")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--holdout", type=float, default=0.2)
    ap.add_argument("--features-from")
    args = ap.parse_args(argv)
    features = WGS_FEATURES
    if args.features_from:
        with open(args.features_from) as fh:
            features = json.load(fh)["model_features"]
    parts = [read_rows(p, features) for p in args.rows]
    x = np.concatenate([q[0] for q in parts])
    y = np.concatenate([q[1] for q in parts])
    snp = np.concatenate([q[2] for q in parts])
    order = np.random.default_rng(args.seed).permutation(len(x))
    n_hold = int(len(x) * args.holdout)
    hold, fit = order[:n_hold], order[n_hold:]
    hidden = [int(h) for h in args.hidden.split(",") if h]
    params = train(x[fit], y[fit], hidden, args.epochs, args.seed)
    metrics = evaluate(params, x[hold], y[hold], snp[hold])
    print(f"held-out ({metrics['rows']} rows): accuracy {metrics['accuracy']:.4%}; accepted at SNP GQ 20 / indel GQ 28: "
          f"{metrics['accepted_fraction']:.2%} of rows, genotype agreement {metrics['accepted_accuracy']:.4%}",
          file=sys.stderr)
    st = x[hold[:300]]
    model = {
        "format": "smallcall.mlp", "version": 1,
        "description": f"trained by scripts/train_smallcall.py on {len(fit)} rows "
                       f"({', '.join(os.path.basename(p) for p in args.rows)}), seed {args.seed}",
        "features": list(features), "classes": ["hom_ref", "het", "hom_alt"],
        "layers": [{"activation": "relu" if i + 1 < len(params) else "softmax", "kernel": w.tolist(), "bias": b.tolist()}
                   for i, (w, b) in enumerate(params)],
        "gate": {"snp_gq_threshold": 20, "indel_gq_threshold": 28},
        "training": {"rows": int(len(fit)), "epochs": args.epochs, "hidden": hidden, "seed": args.seed,
                     "held_out": metrics},
        "self_test": {"inputs": st.astype(np.int64).tolist() if np.all(st == np.round(st)) else st.tolist(),
                      "probabilities": forward64(params, st).tolist(), "atol": 1e-5},
    }
    tmp = args.output + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(model, fh, separators=(",", ":"))
        fh.write("\n")
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
