#!/usr/bin/python3
"""`smallcall sweep` against a numpy float64 reference on labelled simulated rows: accepted and
correct counts per GQ threshold (rows within float32 resolution of an integer threshold may
fall on either side), agreement with `call` at GQ 20/28, --labels without labels, the plot.

Usage: sweep_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

BIN, SRC = sys.argv[1], sys.argv[2]
from pyref import Checks, forward64, route_candidates  # noqa: E402
from wgs_features import WGS_FEATURES  # noqa: E402

check = Checks()

MODEL = os.path.join(SRC, "data", "model.json")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        subprocess.run([BIN, "simulate", "--output", t("rows.tsv"), "--rows", "6000", "--seed", "31", "--quiet"], check=True)
        proc = subprocess.run([BIN, "sweep", "--model", MODEL, "--input", t("rows.tsv"), "--labels", "--json",
                               t("sweep.json"), "--plot", t("sweep.png")], capture_output=True, text=True)
        check(proc.returncode == 0, f"sweep: {proc.stderr}")
        check(proc.stdout.startswith("# 6000 rows") and "\n20\t" in proc.stdout, "sweep table on stdout")
        got = json.load(open(t("sweep.json")))
        with open(t("sweep.png"), "rb") as fh:
            check(fh.read(8) == b"\x89PNG\r\n\x1a\n", "plot is not a PNG")

        lines = open(t("rows.tsv")).read().split("\n")[1:-1]
        header = open(t("rows.tsv")).readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.split("\t"))) for line in lines]
        x = np.array([[float(r[f]) for f in WGS_FEATURES] for r in rows], np.float32)
        with open(MODEL) as fh:
            p = forward64(json.load(fh)["layers"], x)
        score = -10 * np.log10(1 - np.minimum(p.max(axis=1), 1 - 1e-7))
        pred = p.argmax(axis=1)
        label = np.array([int(r["label"]) for r in rows])
        snp = np.array([len(r["ref"]) == 1 and all(len(a) == 1 for a in r["alt"].split("|")) for r in rows])
        # A float32 probability near 1 moves by up to ~1.2e-7 (two ulps), which moves the
        # score by 10/ln(10) * 1.2e-7 / (1 - p): 0.0003 at GQ 28 but ~0.5 at GQ 66. A row is
        # "near" a threshold within that, or 0.05, whichever is larger.
        tol = 0.05 + 4.343 * 1.2e-7 / np.maximum(1 - p.max(axis=1), 1e-7)
        keys = [(r["contig"], r["start"], r["ref"]) for r in rows]
        for kind, mask in (("snp", snp), ("indel", ~snp)):
            check(got[kind]["rows"] == int(mask.sum()), f"{kind} row count")
            for thr in range(71):
                # `call` with this type's threshold at thr and the other's at its default
                # (20 / 28), whole candidates: a candidate's rows are accepted together.
                row_thr = np.where(snp, thr if kind == "snp" else 20, thr if kind == "indel" else 28)
                expects = [None if abs(score[i] - row_thr[i]) <= tol[i] else bool(score[i] >= row_thr[i])
                           for i in range(len(rows))]
                routed, _ = route_candidates(keys, expects, [r["alt"].split("|") for r in rows])
                acc = np.array([x is True for x in routed]) & mask
                unsure = np.array([x is None for x in routed]) & mask
                slack = int(unsure.sum())
                check(int(acc.sum()) <= got[kind]["accepted"][thr] <= int(acc.sum()) + slack,
                      f"{kind} GQ {thr}: accepted {got[kind]['accepted'][thr]} vs float64 {int(acc.sum())} (slack {slack})")
                ok = int((acc & (pred == label)).sum())
                check(ok <= got[kind]["correct_accepted"][thr] <= ok + slack,
                      f"{kind} GQ {thr}: correct {got[kind]['correct_accepted'][thr]} vs float64 {ok} (slack {slack})")

        # The same numbers as `call` at the thresholds it uses (sweep told the same thresholds).
        for snp_t, indel_t in ((20, 28), (9, 17)):
            flags = [f"--small_model_snp_gq_threshold={snp_t}", f"--small_model_indel_gq_threshold={indel_t}"]
            subprocess.run([BIN, "call", "--model", MODEL, "--input", t("rows.tsv"), "--accepted", t("a.tsv"), "--remainder",
                            t("r.tsv"), "--stats_json", t("s.json"), "--quiet"] + flags, check=True)
            subprocess.run([BIN, "sweep", "--model", MODEL, "--input", t("rows.tsv"), "--json", t("sw.json")] + flags,
                           check=True, capture_output=True)
            stats, sw = json.load(open(t("s.json"))), json.load(open(t("sw.json")))
            check(stats["accepted"]["snp"] == sw["snp"]["accepted"][snp_t] and
                  stats["accepted"]["indel"] == sw["indel"]["accepted"][indel_t], f"call vs sweep at {snp_t}/{indel_t}")

        # --labels on unlabelled rows.
        subprocess.run([BIN, "call", "--model", MODEL, "--input", t("rows.tsv"), "--accepted", t("a.tsv"), "--remainder",
                        t("nolabel.tfrecord"), "--small_model_snp_gq_threshold=-1", "--small_model_indel_gq_threshold=-1",
                        "--quiet"], check=True)
        proc = subprocess.run([BIN, "sweep", "--model", MODEL, "--input", t("nolabel.tfrecord"), "--labels"],
                              capture_output=True, text=True)
        check(proc.returncode == 1 and "has no label" in proc.stderr, f"--labels without labels: {proc.stderr}")
        proc = subprocess.run([BIN, "sweep", "--model", MODEL, "--input", t("nolabel.tfrecord")], capture_output=True, text=True)
        check(proc.returncode == 0 and "no labels" in proc.stdout, "sweep without labels")
        print(f"sweep: 71 thresholds x 2 types match the float64 reference on {len(rows)} rows")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
