#!/usr/bin/python3
"""Converts a Keras `.keras` small model (DeepVariant's, or your own) to smallcall's model JSON.

    scripts/keras_to_smallcall.py IN.keras|MODEL_DIR OUT.json [--features-from small_model_info.json]
                                  [--snp-gq N] [--indel-gq N] [--self-test-rows 300]

A `.keras` file is a zip holding config.json (the architecture), metadata.json and
model.weights.h5. Keras does not store a layer's weights under its configured name: each
layer of the model's layer list gets its class name in snake case with a counter per class
(the first Dense `layers/dense`, the next `layers/dense_1`, ...), Keras 2.13 puts them under
`_layer_checkpoint_dependencies/` (and may skip a number), and Keras 2.15 on Windows wrote
`\` separators. The converter maps the config's Dense layers, in order, to the Dense weight
groups in counter order, and checks every shape. A Sequential stack of Dense layers is
accepted, with Dropout layers (the identity at inference) between them: relu, linear,
sigmoid or tanh hidden activations and a 3-unit softmax output (hom_ref, het, hom_alt);
anything else is an error naming the layer. A DeepVariant model directory (model.keras +
small_model_info.json) converts in one command: its feature names come from
small_model_info.json (`model_features`); --features-from names another file; else the
70-name WGS list (after checking the input width). The output carries a `self_test` block:
deterministic, realistic integer feature rows and the probabilities of an independent
float64 numpy forward pass, which smallcall re-checks at every load. Needs python3-h5py and
python3-numpy only.
"""
import argparse
import io
import json
import os
import re
import sys
import zipfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wgs_features import WGS_FEATURES  # noqa: E402


class ConversionError(Exception):
    pass


# Hidden activations smallcall runs (oneDNN post-ops); the output layer is softmax.
HIDDEN_ACTIVATIONS = ("relu", "linear", "sigmoid", "tanh")


def activation_name(value, layer):
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # serialized function: {"class_name": ..., "config": "relu"} and friends
        cfg = value.get("config")
        if isinstance(cfg, str):
            return cfg
        if isinstance(cfg, dict) and "name" in cfg:
            return cfg["name"]
        return value.get("class_name", "?")
    raise ConversionError(f"layer {layer}: cannot read activation {value!r}")


def read_keras(path):
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ConversionError(f"{path}: not a .keras zip archive ({e})")
    with zf:
        members = {n.replace("\\", "/"): n for n in zf.namelist()}  # Windows-written archives
        for needed in ("config.json", "model.weights.h5"):
            if needed not in members:
                raise ConversionError(f"{path}: no {needed} inside (is this a Keras 3 .keras file?)")
        config = json.loads(zf.read(members["config.json"]))
        weights = zf.read(members["model.weights.h5"])
    return config, weights


def dense_stack(config):
    if config.get("class_name") != "Sequential":
        raise ConversionError(f"model class is {config.get('class_name')!r}: only a Sequential stack of Dense layers is supported")
    layers = config.get("config", {}).get("layers", [])
    dense, input_width = [], None
    for i, layer in enumerate(layers):
        cls = layer.get("class_name")
        cfg = layer.get("config", {})
        name = cfg.get("name", f"#{i}")
        if cls == "InputLayer":
            shape = cfg.get("batch_shape") or cfg.get("batch_input_shape")
            if shape:
                input_width = shape[-1]
            continue
        if cls == "Dropout":
            continue  # the identity at inference
        if cls != "Dense":
            raise ConversionError(f"layer {name!r} ({cls}): unsupported layer type; only Dense (and Dropout) layers "
                                  "are supported")
        act = activation_name(cfg.get("activation", "linear"), name)
        dense.append({"name": name, "units": cfg.get("units"), "activation": act,
                      "use_bias": cfg.get("use_bias", True), "build_input": (layer.get("build_config") or {}).get("input_shape")})
    if not dense:
        raise ConversionError("the model has no Dense layers")
    if input_width is None and dense[0]["build_input"]:
        input_width = dense[0]["build_input"][-1]
    for d in dense[:-1]:
        if d["activation"] not in HIDDEN_ACTIVATIONS:
            raise ConversionError(f"layer {d['name']!r}: hidden activation {d['activation']!r} is not supported "
                                  f"({', '.join(HIDDEN_ACTIVATIONS)})")
    last = dense[-1]
    if last["activation"] != "softmax":
        raise ConversionError(f"layer {last['name']!r}: the output layer must use softmax, not {last['activation']!r}")
    if last["units"] != 3:
        raise ConversionError(f"layer {last['name']!r}: the output layer has {last['units']} units; 3 are needed (hom_ref, het, hom_alt)")
    return dense, input_width


def dense_groups(h5, count):
    """The weight groups of the model's Dense layers, in layer order: Keras names them by class
    with a counter (dense, dense_1, ...) under one container (layers/, or
    _layer_checkpoint_dependencies/ in Keras 2.13); '\\' separators (Windows) count as '/'."""
    groups = {}  # normalised group path -> {var index: dataset}
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            parts = name.replace("\\", "/").split("/")
            if len(parts) >= 3 and parts[-2] == "vars" and parts[-1].isdigit():
                groups.setdefault("/".join(parts[:-2]), {})[int(parts[-1])] = obj
    h5.visititems(visit)
    by_container = {}
    for path, variables in groups.items():
        container, _, base = path.rpartition("/")
        m = re.fullmatch(r"dense(?:_(\d+))?", base)
        if m:
            by_container.setdefault(container, []).append((int(m.group(1) or 0), path, variables))
    candidates = [sorted(v) for v in by_container.values() if len(v) == count]
    if len(candidates) != 1:
        found = ", ".join(f"{c or '/'}: {len(v)}" for c, v in sorted(by_container.items())) or "none"
        raise ConversionError(f"model.weights.h5 has no single set of {count} Dense weight groups "
                              f"(Dense groups per container: {found})")
    return [(path, variables) for _, path, variables in candidates[0]]


def load_weights(h5bytes, dense):
    layers = []
    with h5py.File(io.BytesIO(h5bytes), "r") as h5:
        for i, (d, (group, variables)) in enumerate(zip(dense, dense_groups(h5, len(dense)))):
            if 0 not in variables:
                raise ConversionError(f"layer {d['name']!r}: no kernel at {group}/vars/0")
            kernel = np.asarray(variables[0], dtype=np.float32)
            if d["use_bias"]:
                if 1 not in variables:
                    raise ConversionError(f"layer {d['name']!r}: no bias at {group}/vars/1")
                bias = np.asarray(variables[1], dtype=np.float32)
            else:
                bias = np.zeros(kernel.shape[-1], np.float32)
            if kernel.ndim != 2 or kernel.shape[1] != d["units"]:
                raise ConversionError(f"layer {d['name']!r} ({group}): kernel shape {kernel.shape} does not match "
                                      f"{d['units']} units")
            if bias.shape != (d["units"],):
                raise ConversionError(f"layer {d['name']!r} ({group}): bias shape {bias.shape}, expected ({d['units']},)")
            if i and kernel.shape[0] != layers[-1][0].shape[1]:
                raise ConversionError(f"layer {d['name']!r} ({group}): kernel has {kernel.shape[0]} input rows but "
                                      f"the previous layer has {layers[-1][0].shape[1]} outputs")
            if not (np.isfinite(kernel).all() and np.isfinite(bias).all()):
                raise ConversionError(f"layer {d['name']!r}: non-finite weights")
            layers.append((kernel, bias, d["activation"]))
    return layers


def forward64(layers, x):
    h = x.astype(np.float64)
    for kernel, bias, act in layers:
        h = h @ kernel.astype(np.float64) + bias.astype(np.float64)
        if act == "relu":
            h = np.maximum(h, 0)
        elif act == "sigmoid":
            h = 1 / (1 + np.exp(-h))
        elif act == "tanh":
            h = np.tanh(h)
        elif act == "softmax":
            h = np.exp(h - h.max(axis=1, keepdims=True))
            h /= h.sum(axis=1, keepdims=True)
    return h


def realistic_rows(features, count, seed=0):
    """Integer rows in the ranges DeepVariant's features take (unknown names: 0..100)."""
    rng = np.random.default_rng(seed)
    x = np.zeros((count, len(features)), np.float32)
    for j, name in enumerate(features):
        if name.startswith("variant_allele_frequency_at_"):
            col = np.where(rng.random(count) < 0.85, 0, rng.integers(0, 101, count))
        elif name.endswith(("num_reads_supports_ref", "num_reads_supports_alt")):
            col = rng.integers(0, 45, count)
        elif name.endswith(("alt_indices_depth", "total_depth")):
            col = rng.integers(0, 90, count)
        elif name.endswith("mapping_quality"):
            col = rng.integers(0, 61, count)
        elif name.endswith("base_quality"):
            col = rng.integers(0, 42, count)
        elif name.startswith("is_"):
            col = rng.integers(0, 2, count)
        elif name.endswith("_length"):
            col = rng.integers(0, 8, count)
        else:
            col = rng.integers(0, 101, count)
        x[:, j] = col
    return x


def convert(keras_path, features_from=None, snp_gq=None, indel_gq=None, self_test_rows=300):
    if os.path.isdir(keras_path):  # a DeepVariant model directory: model.keras + small_model_info.json
        directory = keras_path
        keras_path = os.path.join(directory, "model.keras")
        if not os.path.isfile(keras_path):
            raise ConversionError(f"{directory}: no model.keras inside (a DeepVariant small model directory has one)")
        info = os.path.join(directory, "small_model_info.json")
        if features_from is None and os.path.isfile(info):
            features_from = info
    config, weights = read_keras(keras_path)
    dense, input_width = dense_stack(config)
    layers = load_weights(weights, dense)
    width = layers[0][0].shape[0]
    if input_width is not None and input_width != width:
        raise ConversionError(f"input layer width {input_width} differs from the first kernel's {width} rows")
    if features_from:
        with open(features_from) as fh:
            info = json.load(fh)
        features = info.get("model_features") or []
        if "shape" in info and info["shape"] != len(features):
            raise ConversionError(f"{features_from}: shape {info['shape']} differs from its {len(features)} model_features")
        if len(features) != width:
            raise ConversionError(f"{features_from}: model_features has {len(features)} names; the model takes {width} inputs")
    else:
        if width != len(WGS_FEATURES):
            raise ConversionError(f"the model takes {width} inputs, not DeepVariant's 70 WGS features: "
                                  "pass --features-from small_model_info.json")
        features = WGS_FEATURES
    x = realistic_rows(features, self_test_rows)
    model = {
        "format": "smallcall.mlp", "version": 1,
        "description": f"converted from {os.path.basename(keras_path)} by scripts/keras_to_smallcall.py",
        "features": list(features), "classes": ["hom_ref", "het", "hom_alt"],
        "layers": [{"activation": act, "kernel": k.tolist(), "bias": b.tolist()} for k, b, act in layers],
        "self_test": {"inputs": x.astype(np.int64).tolist(), "probabilities": forward64(layers, x).tolist(), "atol": 1e-5},
    }
    gate = {}
    if snp_gq is not None:
        gate["snp_gq_threshold"] = snp_gq
    if indel_gq is not None:
        gate["indel_gq_threshold"] = indel_gq
    if gate:
        model["gate"] = gate
    return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("keras", help="a .keras file, or a DeepVariant model directory (model.keras + small_model_info.json)")
    ap.add_argument("output")
    ap.add_argument("--features-from", help="DeepVariant's small_model_info.json (model_features)")
    ap.add_argument("--snp-gq", type=int, help="gate.snp_gq_threshold to store in the model")
    ap.add_argument("--indel-gq", type=int, help="gate.indel_gq_threshold to store in the model")
    ap.add_argument("--self-test-rows", type=int, default=300)
    args = ap.parse_args(argv)
    try:
        model = convert(args.keras, args.features_from, args.snp_gq, args.indel_gq, args.self_test_rows)
    except ConversionError as e:
        print(f"keras_to_smallcall: error: {e}", file=sys.stderr)
        return 1
    tmp = args.output + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(model, fh, separators=(",", ":"))
        fh.write("\n")
    os.replace(tmp, args.output)
    shapes = " -> ".join([str(len(model["features"]))] + [str(len(l["bias"])) for l in model["layers"]])
    print(f"keras_to_smallcall: wrote {args.output}: {shapes}, {len(model['self_test']['inputs'])} self-test rows",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
