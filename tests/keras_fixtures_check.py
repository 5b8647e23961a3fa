#!/usr/bin/python3
"""scripts/keras_to_smallcall.py on the 19 real `.keras` files of ../shared/fixtures/keras
(written by Keras 2.13-3.14 in unrelated public repositories): every file converts, passes
smallcall's load-time self test, and `smallcall call` gives probabilities within 1e-5 of this
test's own float64 forward pass over the h5 weights, mapped to layers by the fixtures'
manifest (the config's Dense layers in order, the weight groups Keras wrote, in order) rather
than by the converter's own mapping. Exit 77 (skipped) when the fixtures are absent.

Usage: keras_fixtures_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import h5py
import numpy as np

from pyref import Checks, forward64

BIN, SRC = sys.argv[1], sys.argv[2]
FIX = os.path.join(os.environ.get("SMALLCALL_FIXTURES", os.path.join(SRC, "..", "shared", "fixtures")), "keras")
if not os.path.isfile(os.path.join(FIX, "manifest.json")):
    print(f"fixtures not found at {FIX}: real Keras files skipped")
    sys.exit(77)
CONVERT = os.path.join(SRC, "scripts", "keras_to_smallcall.py")
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
check = Checks()


def reference(path, entry, x):
    """float64 forward pass: activations from config.json, weights from the manifest's groups."""
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
        h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    acts = []
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "Dense":
            a = layer["config"]["activation"]
            acts.append(a if isinstance(a, str) else a["config"])
    groups = entry["h5_weight_groups"]
    check(len(groups) == len(acts), f"{entry['file']}: {len(groups)} weight groups for {len(acts)} Dense layers")
    return forward64([{"kernel": np.asarray(h5[f"{g}/vars/0"]), "bias": np.asarray(h5[f"{g}/vars/1"]), "activation": a}
                      for g, a in zip(groups, acts)], x)


def main():
    manifest = json.load(open(os.path.join(FIX, "manifest.json")))
    rng = np.random.default_rng(19)
    # Iris-like rows (cm, one decimal) and the same rows scaled, as some models were trained on
    # standardised inputs: both exercise every layer.
    x = np.round(rng.uniform([4, 2, 1, 0.1], [8, 4.5, 7, 2.5], (400, 4)), 1).astype(np.float32)
    x = np.vstack([x, ((x - x.mean(0)) / x.std(0)).astype(np.float32)])
    converted = 0
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        with open(t("info.json"), "w") as fh:
            json.dump({"version": "test", "shape": 4, "model_features": FEATURES, "config": {}}, fh)
        with open(t("rows.tsv"), "w") as fh:
            fh.write("contig\tstart\tend\tref\talt\t" + "\t".join(FEATURES) + "\n")
            for i, row in enumerate(x):
                fh.write(f"chr1\t{i}\t{i + 1}\tA\tG\t" + "\t".join(repr(float(v)) for v in row) + "\n")
        for entry in manifest:
            name = entry["file"]
            path = os.path.join(FIX, name)
            proc = subprocess.run(["/usr/bin/python3", CONVERT, path, t("m.json"), "--features-from", t("info.json")],
                                  capture_output=True, text=True)
            if not check(proc.returncode == 0, f"{name} ({entry['keras_version']}, {entry['scope']}): "
                                               f"{proc.stderr.strip()}"):
                continue
            proc = subprocess.run([BIN, "call", "--quiet", "--model", t("m.json"), "--input", t("rows.tsv"),
                                   "--accepted", t("acc.tsv"), "--remainder", t("rem.tsv"),
                                   "--small_model_snp_gq_threshold=0", "--small_model_indel_gq_threshold=0"],
                                  capture_output=True, text=True)
            if not check(proc.returncode == 0, f"{name}: smallcall call: {proc.stderr.strip()}"):
                continue
            with open(t("acc.tsv")) as fh:
                lines = fh.read().splitlines()
            head = lines[0].split("\t")
            cols = [head.index(c) for c in ("p_hom_ref", "p_het", "p_hom_alt")]
            got = np.array([[float(line.split("\t")[c]) for c in cols] for line in lines[1:]])
            ref = reference(path, entry, x)
            diff = float(np.abs(got - ref).max()) if got.shape == ref.shape else float("inf")
            check(diff <= 1e-5, f"{name}: max |p - p64| = {diff}")
            converted += diff <= 1e-5
            print(f"{name}: Keras {entry['keras_version']}, {entry['architecture']}: max |p - p64| = {diff:.2g}")
    check(converted == len(manifest), f"{converted} of {len(manifest)} real Keras files convert and agree")
    print(f"{converted} of {len(manifest)} real Keras files convert and match the float64 reference")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
