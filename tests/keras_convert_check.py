#!/usr/bin/python3
"""scripts/keras_to_smallcall.py on `.keras` files built here with h5py in the Keras 3 layout
(zip of config.json, metadata.json, model.weights.h5 with layers/<name>/vars/0 and /1):
a DeepVariant-shaped 70-750-750-3 model and a small one with custom feature order convert,
pass smallcall's load-time self test, and give probabilities within 1e-5 of this test's own
float64 pass over the h5 weights; malformed files fail with a message naming the layer.

Usage: keras_convert_check.py SMALLCALL_BINARY SOURCE_DIR
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

BIN, SRC = sys.argv[1], sys.argv[2]
from wgs_features import WGS_FEATURES  # noqa: E402

CONVERT = os.path.join(SRC, "scripts", "keras_to_smallcall.py")

from pyref import Checks, forward64  # noqa: E402

check = Checks()


def dense_config(name, units, activation, in_dim):
    return {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
            "config": {"name": name, "trainable": True, "units": units, "activation": activation, "use_bias": True,
                       "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                              "config": {"seed": None}, "registered_name": None},
                       "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                            "registered_name": None},
                       "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                       "bias_constraint": None},
            "build_config": {"input_shape": [None, in_dim]}}


def write_keras(path, dims, activations, rng, extra_layer=None, drop_weights=None, bad_shape=None, cls="Sequential",
                config_names=None, container="layers", group_names=None, backslash=False):
    """A .keras file as Keras writes it: config names (config_names, default dense, dense_1, ...)
    are not the weight group names, which are dense, dense_1, ... (group_names) under
    `container`; backslash=True writes Windows separators in the archive and the h5."""
    layers = [{"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
               "config": {"batch_shape": [None, dims[0]], "dtype": "float32", "sparse": False, "name": "input_layer"}}]
    names, weights = [], {}
    for i in range(len(dims) - 1):
        name = group_names[i] if group_names else ("dense" if i == 0 else f"dense_{i}")
        names.append(name)
        layers.append(dense_config(config_names[i] if config_names else name, dims[i + 1], activations[i], dims[i]))
        scale = 1 / (50 * np.sqrt(dims[i])) if i == 0 else 2.0 / np.sqrt(dims[i])
        k = rng.normal(0, scale, (dims[i], dims[i + 1])).astype(np.float32)
        if bad_shape == name:
            k = k[:, :-1]
        weights[name] = (k, rng.normal(0, 0.3, dims[i + 1]).astype(np.float32))
    if extra_layer:
        layers.insert(2, {"module": "keras.layers", "class_name": extra_layer, "config": {"name": "extra", "rate": 0.5}})
    config = {"module": "keras.src.models.sequential" if cls == "Sequential" else "keras.src.models.functional",
              "class_name": cls, "registered_name": None,
              "config": {"name": "sequential", "trainable": True, "layers": layers,
                         "build_input_shape": [None, dims[0]]},
              "build_config": {"input_shape": [None, dims[0]]}}
    h5buf = io.BytesIO()
    with h5py.File(h5buf, "w") as h5:
        for name, (k, b) in weights.items():
            if name == drop_weights:
                continue
            sep = "\\" if backslash else "/"
            if backslash:  # one group whose name holds the separators, as Windows Keras wrote it
                h5.create_dataset(f"{container}{sep}{name}{sep}vars{sep}0", data=k)
                h5.create_dataset(f"{container}{sep}{name}{sep}vars{sep}1", data=b)
            else:
                g = h5.create_group(f"{container}/{name}/vars")
                g.create_dataset("0", data=k)
                g.create_dataset("1", data=b)
        h5.create_group("optimizer/vars")
        h5.create_group("vars")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.3.3", "date_saved": "2026-11-28@12:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", h5buf.getvalue())
    return [weights[n] for n in names], [a for a in activations]


def keras_forward64(layers, acts, x):
    return forward64([{"kernel": k, "bias": b, "activation": a} for (k, b), a in zip(layers, acts)], x)


def convert(args):
    return subprocess.run(["/usr/bin/python3", CONVERT] + args, capture_output=True, text=True)


def call_probs(model_json, rows_tsv, tmp):
    acc = os.path.join(tmp, "acc.tsv")
    proc = subprocess.run([BIN, "call", "--model", model_json, "--input", rows_tsv, "--accepted", acc, "--remainder",
                           os.path.join(tmp, "rem.tsv"), "--small_model_snp_gq_threshold=0",
                           "--small_model_indel_gq_threshold=0", "--quiet"], capture_output=True, text=True)
    check(proc.returncode == 0, f"smallcall call on {model_json}: {proc.stderr}")
    with open(acc) as fh:
        lines = fh.read().split("\n")[1:-1]
    return np.array([[np.float32(v) for v in line.split("\t")[7:10]] for line in lines], np.float64)


def main():
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        rows = t("rows.tsv")
        subprocess.run([BIN, "simulate", "--output", rows, "--rows", "3000", "--seed", "5", "--quiet"], check=True)
        with open(rows) as fh:
            lines = fh.read().split("\n")[:-1]
        header = lines[0].split("\t")
        data = [line.split("\t") for line in lines[1:]]

        # 1. DeepVariant's WGS shape.
        layers, acts = write_keras(t("wgs.keras"), [70, 750, 750, 3], ["relu", "relu", "softmax"], rng)
        proc = convert([t("wgs.keras"), t("wgs.json"), "--snp-gq", "20", "--indel-gq", "28"])
        check(proc.returncode == 0, f"convert wgs: {proc.stderr}")
        inspect = subprocess.run([BIN, "inspect", "--json", t("wgs.json")], capture_output=True, text=True)
        info = json.loads(inspect.stdout) if inspect.returncode == 0 else {}
        check(info.get("self_test", {}).get("passed") is True and info["self_test"]["rows"] == 300,
              f"wgs self test: {inspect.stdout[-300:]} {inspect.stderr}")
        check(info.get("parameters") == 618753, f"wgs parameter count {info.get('parameters')}")
        check(info.get("gate") == {"snp_gq_threshold": 20, "indel_gq_threshold": 28}, f"gate {info.get('gate')}")
        x = np.array([[float(r[header.index(f)]) for f in WGS_FEATURES] for r in data], np.float32)
        got = call_probs(t("wgs.json"), rows, tmp)
        ref = keras_forward64(layers, acts, x)
        diff = float(np.abs(got - ref).max()) if got.shape == ref.shape else float("inf")
        check(diff <= 1e-5, f"wgs: max |p - p64| = {diff}")
        print(f"70-750-750-3 .keras: converted, self test passed, {len(got)} rows max |p - p64| = {diff:.3g}")

        # 2. A small model with DeepVariant's small_model_info.json giving a custom feature order.
        order = list(WGS_FEATURES)
        rng.shuffle(order)
        with open(t("small_model_info.json"), "w") as fh:
            json.dump({"version": "1.10.0", "shape": 70, "model_features": order, "config": {}}, fh)
        layers, acts = write_keras(t("small.keras"), [70, 8, 3], ["linear", "softmax"], rng)
        proc = convert([t("small.keras"), t("small.json"), "--features-from", t("small_model_info.json")])
        check(proc.returncode == 0, f"convert small: {proc.stderr}")
        with open(t("small.json")) as fh:
            check(json.load(fh)["features"] == order, "small: feature order not taken from small_model_info.json")
        x = np.array([[float(r[header.index(f)]) for f in order] for r in data], np.float32)
        got = call_probs(t("small.json"), rows, tmp)
        ref = keras_forward64(layers, acts, x)
        diff = float(np.abs(got - ref).max()) if got.shape == ref.shape else float("inf")
        check(diff <= 1e-5, f"small: max |p - p64| = {diff}")

        # 3. As Keras writes files: config names that are not the weight groups' (Keras 3: the
        # class name with a counter), Keras 2.13's container with a skipped number, Windows
        # separators, a Dropout layer (the identity), tanh and sigmoid hidden layers, and a
        # DeepVariant model directory (model.keras + small_model_info.json).
        sel = [header.index(f) for f in WGS_FEATURES]
        x70 = np.array([[float(r[i]) for i in sel] for r in data], np.float32)
        variants = [
            ("config names differ from weight groups", dict(config_names=["dense_35", "dense_36", "dense_37"]),
             ["relu", "relu", "softmax"]),
            ("Keras 2.13 container, skipped counter", dict(container="_layer_checkpoint_dependencies",
                                                          group_names=["dense", "dense_2", "dense_3"]),
             ["relu", "relu", "softmax"]),
            ("Windows separators", dict(backslash=True), ["relu", "relu", "softmax"]),
            ("Dropout between Dense layers", dict(extra_layer="Dropout"), ["relu", "relu", "softmax"]),
            ("tanh and sigmoid hidden layers", {}, ["tanh", "sigmoid", "softmax"]),
        ]
        for name, kw, acts_ in variants:
            layers_, acts_ = write_keras(t("v.keras"), [70, 16, 8, 3], acts_, rng, **kw)
            proc = convert([t("v.keras"), t("v.json")])
            if not check(proc.returncode == 0, f"{name}: {proc.stderr.strip()}"):
                continue
            got = call_probs(t("v.json"), rows, tmp)
            ref = keras_forward64(layers_, acts_, x70)
            diff = float(np.abs(got - ref).max()) if got.shape == ref.shape else float("inf")
            check(diff <= 1e-5, f"{name}: max |p - p64| = {diff}")
        os.makedirs(t("dvmodel"))
        layers_, acts_ = write_keras(os.path.join(t("dvmodel"), "model.keras"), [70, 12, 3], ["relu", "softmax"], rng)
        with open(os.path.join(t("dvmodel"), "small_model_info.json"), "w") as fh:
            json.dump({"version": "1.10.0", "shape": 70, "model_features": order, "config": {}}, fh)
        proc = convert([t("dvmodel"), t("dir.json")])
        check(proc.returncode == 0 and json.load(open(t("dir.json")))["features"] == order,
              f"model directory: features from its small_model_info.json: {proc.stderr.strip()}")

        # 4. Malformed models: a clear error naming the layer, no output.
        cases = [
            ("missing layer weights", dict(drop_weights="dense_1"),
             "no single set of 3 Dense weight groups (Dense groups per container: layers: 2)"),
            ("wrong kernel shape", dict(bad_shape="dense"), "layer 'dense' (layers/dense): kernel shape (70, 15)"),
            ("unsupported layer", dict(extra_layer="BatchNormalization"),
             "layer 'extra' (BatchNormalization): unsupported layer type"),
            ("functional model", dict(cls="Functional"), "only a Sequential stack"),
        ]
        for name, kw, message in cases:
            write_keras(t("bad.keras"), [70, 16, 8, 3], ["relu", "relu", "softmax"], rng, **kw)
            proc = convert([t("bad.keras"), t("bad.json")])
            check(proc.returncode == 1 and message in proc.stderr and not os.path.exists(t("bad.json")),
                  f"{name}: exit {proc.returncode}, {proc.stderr.strip()}")
        for name, dims, acts_, message in [
            ("gelu hidden", [70, 8, 3], ["gelu", "softmax"], "layer 'dense': hidden activation 'gelu' is not supported"),
            ("sigmoid output", [70, 8, 3], ["relu", "sigmoid"], "layer 'dense_1': the output layer must use softmax"),
            ("2 classes", [70, 8, 2], ["relu", "softmax"], "layer 'dense_1': the output layer has 2 units"),
            ("69 inputs, no feature list", [69, 8, 3], ["relu", "softmax"], "not DeepVariant's 70 WGS features"),
        ]:
            write_keras(t("bad.keras"), dims, acts_, rng)
            proc = convert([t("bad.keras"), t("bad.json")])
            check(proc.returncode == 1 and message in proc.stderr, f"{name}: exit {proc.returncode}, {proc.stderr.strip()}")
        with open(t("notzip.keras"), "w") as fh:
            fh.write("not a zip")
        proc = convert([t("notzip.keras"), t("bad.json")])
        check(proc.returncode == 1 and "not a .keras zip archive" in proc.stderr, f"not a zip: {proc.stderr}")
        write_keras(t("ok.keras"), [70, 8, 3], ["relu", "softmax"], rng)
        with open(t("info69.json"), "w") as fh:
            json.dump({"model_features": WGS_FEATURES[:69]}, fh)
        proc = convert([t("ok.keras"), t("bad.json"), "--features-from", t("info69.json")])
        check(proc.returncode == 1 and "model_features has 69 names" in proc.stderr, f"feature count: {proc.stderr}")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
