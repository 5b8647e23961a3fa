#!/usr/bin/python3
"""Writes data/model.json: smallcall's hand-set default model (NOT trained).

The network is a 70 -> 16 -> 16 -> 3 Dense/ReLU/softmax MLP in DeepVariant's WGS feature
layout whose weights are set by hand so that it computes a textbook binomial genotype
posterior from the read counts alone:

    logit(g) = ref * log(1 - f_g) + alt * log(f_g),  f = (e, 0.5, 1 - e),  e = 0.05

Layer 1 copies num_reads_supports_ref and num_reads_supports_alt (non-negative, so ReLU is
the identity on them), layer 2 passes them on, the output layer forms the three
log-likelihoods. The remaining hidden units have zero weights. Every other feature is
ignored. It exists so that `smallcall call` has a meaningful default until a trained model
ships; its self_test block holds probabilities from an independent float64 numpy pass.

Usage: scripts/make_default_model.py [OUT.json]
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wgs_features import WGS_FEATURES  # noqa: E402

ERROR_RATE = 0.05
HIDDEN = 16


def build():
    n = len(WGS_FEATURES)
    ref_i = WGS_FEATURES.index("num_reads_supports_ref")
    alt_i = WGS_FEATURES.index("num_reads_supports_alt")
    w1 = np.zeros((n, HIDDEN), np.float32)
    w1[ref_i, 0] = 1.0
    w1[alt_i, 1] = 1.0
    b1 = np.zeros(HIDDEN, np.float32)
    w2 = np.zeros((HIDDEN, HIDDEN), np.float32)
    w2[0, 0] = 1.0
    w2[1, 1] = 1.0
    b2 = np.zeros(HIDDEN, np.float32)
    f = np.array([ERROR_RATE, 0.5, 1 - ERROR_RATE])
    w3 = np.zeros((HIDDEN, 3), np.float32)
    w3[0, :] = np.log(1 - f)
    w3[1, :] = np.log(f)
    b3 = np.zeros(3, np.float32)
    return [(w1, b1, "relu"), (w2, b2, "relu"), (w3, b3, "softmax")]


def forward64(layers, x):
    h = x.astype(np.float64)
    for w, b, act in layers:
        h = h @ w.astype(np.float64) + b.astype(np.float64)
        if act == "relu":
            h = np.maximum(h, 0)
        elif act == "softmax":
            h = np.exp(h - h.max(axis=1, keepdims=True))
            h /= h.sum(axis=1, keepdims=True)
    return h


def self_test_rows(rng, count):
    x = rng.integers(0, 101, size=(count, len(WGS_FEATURES))).astype(np.float32)
    # Realistic read counts so the probabilities span the whole range.
    x[:, 0] = rng.integers(0, 40, size=count)
    x[:, 1] = rng.integers(0, 40, size=count)
    return x


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "model.json")
    layers = build()
    x = self_test_rows(np.random.default_rng(20261128), 200)
    p = forward64(layers, x)
    model = {
        "format": "smallcall.mlp",
        "version": 1,
        "description": "Hand-set binomial genotype-likelihood model (error rate 0.05) in the "
                       "DeepVariant WGS 70-feature layout; not trained. See scripts/make_default_model.py.",
        "features": WGS_FEATURES,
        "classes": ["hom_ref", "het", "hom_alt"],
        "layers": [{"activation": act, "kernel": w.tolist(), "bias": b.tolist()} for w, b, act in layers],
        "gate": {"snp_gq_threshold": 20, "indel_gq_threshold": 28},
        "self_test": {"inputs": x.astype(int).tolist(), "probabilities": p.tolist(), "atol": 1e-5},
    }
    with open(out, "w") as fh:
        json.dump(model, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
