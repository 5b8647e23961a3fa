#!/usr/bin/python3
"""Benchmark helpers (scripts/bench.sh):

  bench_peers.py make DIR [CALIBRATION.tsv]
                                 random DeepVariant-shape model (70-750-750-3, seed 1) as
                                 DIR/dv.json, and 5000 integer rows 0..100 as DIR/rows.f32;
                                 with simulated rows, the output layer is scaled so that about
                                 85 % of them clear GQ 20, as DeepVariant's small model does on
                                 WGS (random weights are otherwise never confident)
  bench_peers.py peers MODEL.json ROWS.f32 M [M...]
                                 median time per call of PyTorch eager (model(x) under
                                 torch.inference_mode, 1 thread) and numpy on the same weights
                                 and rows; one JSON object per line
"""
import json
import os
import sys
import time

import numpy as np


def forward64(layers, x):
    h = x.astype(np.float64)
    for i, l in enumerate(layers):
        h = h @ np.asarray(l["kernel"], np.float64) + np.asarray(l["bias"], np.float64)
        if i + 1 < len(layers):
            h = np.maximum(h, 0)
    h = np.exp(h - h.max(axis=1, keepdims=True))
    return h / h.sum(axis=1, keepdims=True)


def make(d, calibration=None):
    rng = np.random.default_rng(1)
    dims = [70, 750, 750, 3]
    layers = []
    for i in range(3):
        scale = 1 / (50 * np.sqrt(dims[i])) if i == 0 else 2.0 / np.sqrt(dims[i])
        layers.append({"activation": "softmax" if i == 2 else "relu",
                       "kernel": rng.normal(0, scale, (dims[i], dims[i + 1])).astype(np.float32).tolist(),
                       "bias": rng.normal(0, 0.1, dims[i + 1]).astype(np.float32).tolist()})
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from wgs_features import WGS_FEATURES
    if calibration:
        lines = open(calibration).read().split("\n")[:-1]
        header = lines[0].split("\t")
        cols = [header.index(f) for f in WGS_FEATURES]
        x = np.array([[float(v[c]) for c in cols] for v in (line.split("\t") for line in lines[1:])], np.float32)
        base = np.asarray(layers[2]["kernel"], np.float32)
        lo, hi = 0.1, 1000.0
        for _ in range(40):  # bisect the scale on the fraction of rows with max p >= 0.99
            mid = (lo * hi) ** 0.5
            layers[2]["kernel"] = (base * mid).tolist()
            frac = float((forward64(layers, x).max(axis=1) >= 0.99).mean())
            lo, hi = (mid, hi) if frac < 0.85 else (lo, mid)
        layers[2]["kernel"] = (base * hi).astype(np.float32).tolist()
    with open(os.path.join(d, "dv.json"), "w") as fh:
        json.dump({"format": "smallcall.mlp", "version": 1, "features": WGS_FEATURES, "layers": layers,
                   "gate": {"snp_gq_threshold": 20, "indel_gq_threshold": 28}}, fh)
    rng.integers(0, 101, (5000, 70)).astype(np.float32).tofile(os.path.join(d, "rows.f32"))


def timeit(fn, reps):
    for _ in range(5):
        fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1e6)
    return float(np.median(out))


def peers(model_path, rows_path, ms):
    model = json.load(open(model_path))
    x = np.fromfile(rows_path, np.float32).reshape(-1, len(model["features"]))
    ws = [(np.asarray(l["kernel"], np.float32), np.asarray(l["bias"], np.float32)) for l in model["layers"]]
    flops = sum(2 * w.shape[0] * w.shape[1] for w, _ in ws)

    def numpy_forward(a):
        h = a
        for i, (w, b) in enumerate(ws):
            h = h @ w + b
            if i + 1 < len(ws):
                h = np.maximum(h, 0)
        h = np.exp(h - h.max(axis=1, keepdims=True))
        return h / h.sum(axis=1, keepdims=True)

    try:
        import torch
    except ImportError:  # the smoke run may lack PyTorch: numpy only
        torch = None
    if torch is None:
        for m in ms:
            if m <= len(x):
                reps = int(min(max(400000 // (m * 10 + 50), 30), 2000))
                print(json.dumps({"kind": "peers", "m": m, "torch_us": None, "numpy_us": timeit(lambda: numpy_forward(x[:m]), reps),
                                  "flops_per_row": flops, "torch": None, "numpy": np.__version__}), flush=True)
        return
    torch.set_num_threads(1)
    mods = []
    for i, (w, b) in enumerate(ws):
        lin = torch.nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        mods.append(lin)
        mods.append(torch.nn.ReLU() if i + 1 < len(ws) else torch.nn.Softmax(dim=1))
    net = torch.nn.Sequential(*mods).eval()
    xt = torch.from_numpy(x)
    for m in ms:
        if m > len(x):
            continue
        reps = int(min(max(400000 // (m * 10 + 50), 30), 2000))
        with torch.inference_mode():
            t_torch = timeit(lambda: net(xt[:m]), reps)
        t_numpy = timeit(lambda: numpy_forward(x[:m]), reps)
        print(json.dumps({"kind": "peers", "m": m, "torch_us": t_torch, "numpy_us": t_numpy, "flops_per_row": flops,
                          "torch": torch.__version__, "numpy": np.__version__}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        peers(sys.argv[2], sys.argv[3], [int(a) for a in sys.argv[4:]])
