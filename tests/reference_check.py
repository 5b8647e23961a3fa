#!/usr/bin/python3
"""Independent end-to-end check of `smallcall call` against a numpy float64 reference.

For the shipped default model and for a random DeepVariant-shaped 70-750-750-3 model, on
simulated rows (`smallcall simulate`, another seed than the shipped sample) and several threshold settings:
every input row is either in the accepted TSV or, byte-identical, in the remainder, in
input order; each accepted row's probabilities are within 1e-5 of float64, its genotype is
the float64 argmax and its GQ the rounded float64 phred; the accept/reject decision equals
the float64 gate for every row whose float64 score is more than 0.05 from its threshold.

Usage: reference_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

BIN, SRC = sys.argv[1], sys.argv[2]
from wgs_features import WGS_FEATURES  # noqa: E402

from pyref import Checks, bounded_phred, forward64, route_candidates  # noqa: E402

check = Checks()


def random_model(rng, x):
    dims = [70, 750, 750, 3]
    layers = []
    for i in range(3):
        scale = 1 / (50 * math.sqrt(dims[i])) if i == 0 else 2.2 / math.sqrt(dims[i])
        w = rng.normal(0, scale, (dims[i], dims[i + 1])).astype(np.float32)
        b = rng.normal(0, 0.3, dims[i + 1]).astype(np.float32)
        layers.append({"activation": "softmax" if i == 2 else "relu", "kernel": w, "bias": b})
    # Scale the output layer so the probabilities span the gate thresholds.
    h = x.astype(np.float64)
    for layer in layers[:2]:
        h = np.maximum(h @ layer["kernel"] + layer["bias"], 0)
    logits = h @ layers[2]["kernel"]
    logits -= logits.mean(axis=0)
    layers[2]["kernel"] = (layers[2]["kernel"] * (2.0 / logits.std())).astype(np.float32)
    for layer in layers:
        layer["kernel"] = layer["kernel"].tolist()
        layer["bias"] = layer["bias"].tolist()
    return {"format": "smallcall.mlp", "version": 1, "features": WGS_FEATURES, "layers": layers}


def read_input(path):
    with open(path, "rb") as fh:
        lines = fh.read().split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    header = lines[0].decode().split("\t")
    rows = [line.decode().split("\t") for line in lines[1:]]
    cols = [header.index(f) for f in WGS_FEATURES]
    x = np.array([[float(r[c]) for c in cols] for r in rows], np.float32)
    return lines, header, rows, x


def run_case(name, model_path, model, input_path, snp_t, indel_t, multi, tmp):
    acc, rem = os.path.join(tmp, "acc.tsv"), os.path.join(tmp, "rem.tsv")
    args = [BIN, "call", "--model", model_path, "--input", input_path, "--accepted", acc, "--remainder", rem,
            f"--small_model_snp_gq_threshold={snp_t}", f"--small_model_indel_gq_threshold={indel_t}",
            f"--small_model_call_multiallelics={'true' if multi else 'false'}", "--quiet"]
    proc = subprocess.run(args, capture_output=True, text=True)
    if not check(proc.returncode == 0, f"{name}: exit {proc.returncode}: {proc.stderr}"):
        return
    lines, header, rows, x = read_input(input_path)
    p = forward64(model["layers"], x)
    ia = {k: header.index(k) for k in ("contig", "start", "end", "ref", "alt", "is_multiallelic")}
    with open(acc, "rb") as fh:
        acc_lines = fh.read().decode().split("\n")[1:-1]
    with open(rem, "rb") as fh:
        rem_lines = fh.read().split(b"\n")[:-1]
    check(rem_lines[0] == lines[0], f"{name}: remainder header differs")
    a = r = 0
    rem_rows = rem_lines[1:]
    max_diff = 0.0
    near = decided = 0
    # The float64 gate per row, then whole candidates (consecutive rows with the same contig,
    # start and ref): accepted only if every row is; undecidable if a row is and none fails.
    expects, scores, keys = [], [], []
    for i, row in enumerate(rows):
        ref, alts = row[ia["ref"]], row[ia["alt"]].split("|")
        is_snp = len(ref) == 1 and all(len(s) == 1 for s in alts)
        is_multi = len(alts) > 1 or row[ia["is_multiallelic"]] != "0"
        threshold = snp_t if is_snp else indel_t
        score = bounded_phred(float(p[i].max()), 1 - 1e-7)
        if multi is False and is_multi or threshold < 0:
            expect = False
        else:
            expect = score >= threshold
            if abs(score - threshold) <= 0.05:
                expect = None  # too close to call in float32: either outcome is right
                near += 1
        expects.append(expect)
        scores.append(score)
        keys.append((row[ia["contig"]], row[ia["start"]], row[ia["ref"]]))
    routed, candidate_rows = route_candidates(keys, expects, [row[ia["alt"]].split("|") for row in rows])
    got_rows = []
    for i, row in enumerate(rows):
        g = int(np.argmax(p[i]))
        expect, score = routed[i], scores[i]
        in_rem = r < len(rem_rows) and rem_rows[r] == lines[i + 1]
        if in_rem:
            r += 1
            got = False
        else:
            if not check(a < len(acc_lines), f"{name}: row {i + 1} is in neither output"):
                return
            f = acc_lines[a].split("\t")
            a += 1
            got = True
            key = [row[ia[k]] for k in ("contig", "start", "end", "ref", "alt")]
            if not check(f[:5] == key, f"{name}: accepted row {a} is {f[:5]}, expected input row {i + 1} {key}"):
                return
            probs = np.array([np.float32(v) for v in f[7:10]], np.float32)  # printed float32 values
            max_diff = max(max_diff, float(np.abs(probs.astype(np.float64) - p[i]).max()))
            check(f[5] == ["0/0", "0/1", "1/1"][g], f"{name}: row {i + 1} genotype {f[5]} vs float64 argmax {g}")
            # The gate score, unrounded, from the float32 probability the gate compared.
            gate = bounded_phred(float(probs[g]), 1 - 1e-7)
            check(abs(float(f[6]) - gate) <= 1e-9, f"{name}: row {i + 1} gate_score {f[6]} vs {gate!r} from "
                                                  f"p={probs[g]!r}")
        got_rows.append(got)
        if expect is not None:
            decided += 1
            check(got == expect, f"{name}: row {i + 1} accepted={got}, float64 gate says {expect} (score {score:.4f}, "
                                 f"candidate rows {[j + 1 for j in candidate_rows[i]]})")
    for i in range(len(got_rows)):
        members = [got_rows[j] for j in candidate_rows[i] if j < len(got_rows)]
        check(len(set(members)) == 1, f"{name}: candidate of row {i + 1} is split between the outputs")
    check(a == len(acc_lines), f"{name}: {len(acc_lines) - a} accepted rows not matched to the input")
    check(r == len(rem_rows), f"{name}: {len(rem_rows) - r} remainder lines not matched to the input")
    check(max_diff <= 1e-5, f"{name}: max |p - p64| = {max_diff:g} > 1e-5")
    print(f"{name}: {len(rows)} rows, {a} accepted, {r} remainder, decisions checked {decided}, "
          f"near-threshold {near}, max |p - p64| = {max_diff:.3g}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        input_path = os.path.join(tmp, "rows.tsv")
        subprocess.run([BIN, "simulate", "--output", input_path, "--rows", "1700", "--seed", "12345", "--quiet"],
                       check=True)
        default_path = os.path.join(SRC, "data", "model.json")
        with open(default_path) as fh:
            default = json.load(fh)
        rng = np.random.default_rng(4242)
        random = random_model(rng, read_input(input_path)[3])
        random_path = os.path.join(tmp, "random.json")
        with open(random_path, "w") as fh:
            json.dump(random, fh)
        for snp_t, indel_t, multi in ((20, 28, True), (9, 17, False), (-1, 28, True), (25, -1, True), (0, 0, True)):
            run_case(f"default model snp={snp_t} indel={indel_t} multi={multi}", default_path, default, input_path,
                     snp_t, indel_t, multi, tmp)
        for snp_t, indel_t, multi in ((20, 28, True), (3, 5, True), (15, 16, False)):
            run_case(f"random 70-750-750-3 snp={snp_t} indel={indel_t} multi={multi}", random_path, random, input_path,
                     snp_t, indel_t, multi, tmp)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
