#!/usr/bin/python3
"""DeepVariant interop, end to end, checked with independent tools (scripts/tfpy.py: a Python
CRC32C and TFRecord framer, protobuf classes from Debian's python3-protobuf; tests/pyref.py:
a numpy float64 forward pass and gate).

- small-model tf.Examples (some carrying the full candidate) in gzip, multi-member gzip,
  zlib and plain TFRecords -> CallVariantsOutput + pass-through remainder; every CVO field;
- TSV <-> TFRecord conversions of the remainder, and TSV-in vs TFRecord-in CVOs;
- GNU parallel over NAME@4 shards == one process over the same rows; an empty shard; a
  failing shard under --halt now,fail=1; --flagfile.

Usage: interop_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

BIN, SRC = sys.argv[1], sys.argv[2]
import tfpy  # noqa: E402
from pyref import Checks, expected_accept, forward64, route_candidates  # noqa: E402
from wgs_features import WGS_FEATURES  # noqa: E402

check = Checks()

MODEL = os.path.join(SRC, "data", "model.json")


def run(args, expect=0):
    proc = subprocess.run([BIN, "call", "--model", MODEL, "--quiet"] + args, capture_output=True, text=True)
    check(proc.returncode == expect, f"{args}: exit {proc.returncode}, expected {expect}: {proc.stderr.strip()}")
    return proc


def load_rows():
    with gzip.open(os.path.join(SRC, "data", "sample.tsv.gz"), "rt") as fh:
        lines = fh.read().split("\n")[:-1]
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    return lines, rows


def make_examples(rows, with_candidate=True):
    """Small-model tf.Examples of the rows, each with its candidate (variant/encoded: the
    candidate's alts, calls[0] AD/DP/VAF as make_examples sets them, plus a second call and a
    variant-level info entry that a CVO must drop or keep verbatim) unless with_candidate is
    False (DeepVariant's own training examples carry no candidate)."""
    payloads, full = [], []
    for i, r in enumerate(rows):
        cand = r["candidate_alts"].split("|")
        ad = [int(x) for x in r["ad"].split(",")]
        ex = tfpy.Example()
        feat = ex.features.feature
        feat["features/encoded"].int64_list.value.extend(int(r[f]) for f in WGS_FEATURES)
        feat["ids/encoded"].bytes_list.value.extend(
            r[k].encode() for k in ("contig", "start", "end", "ref", "alt"))
        g = int(r["label"])
        feat["label/encoded"].int64_list.value.extend([int(g == 0), int(g == 1), int(g == 2)])
        feat["genotype/encoded"].int64_list.value.append(g)
        variant = None
        if with_candidate:
            variant = tfpy.Variant(reference_name=r["contig"], start=int(r["start"]), end=int(r["end"]),
                                   reference_bases=r["ref"], alternate_bases=cand)
            variant.info["kept"].values.add().int_value = 7
            c0 = variant.calls.add(call_set_name="NA12878", genotype=[-1, -1])
            for x in ad:
                c0.info["AD"].values.add().int_value = x
            c0.info["DP"].values.add().int_value = int(r["dp"])
            for x in ad[1:]:
                c0.info["VAF"].values.add().number_value = x / int(r["dp"]) if int(r["dp"]) else 0.0
            variant.calls.add(call_set_name="second_call_dropped")
            indices = tfpy.AltAlleleIndices(indices=[cand.index(a) for a in r["alt"].split("|")])
            feat["variant/encoded"].bytes_list.value.append(variant.SerializeToString())
            feat["alt_allele_indices/encoded"].bytes_list.value.append(indices.SerializeToString())
            variant = (variant, indices)
        payloads.append(ex.SerializeToString())
        full.append(variant)
    return payloads, full


def check_cvo_run(name, rows, payloads, full, p64, acc_path, rem_path, sample):
    acc = [tfpy.CallVariantsOutput.FromString(b) for b in tfpy.read_tfrecords(acc_path)]
    rem = tfpy.read_tfrecords(rem_path)
    a = r = 0
    max_diff = 0.0
    expects = [expected_accept(p64[i], row["ref"], row["alt"], "|" in row["alt"] or row["is_multiallelic"] != "0",
                               20, 28, True) for i, row in enumerate(rows)]
    routed, _ = route_candidates([(row["contig"], row["start"], row["ref"]) for row in rows], expects,
                                 [row["alt"].split("|") for row in rows])
    for i, row in enumerate(rows):
        exp = routed[i]
        if r < len(rem) and rem[r] == payloads[i]:
            r += 1
            check(exp is not True, f"{name}: row {i} in the remainder, float64 gate accepts it")
            continue
        if not check(a < len(acc), f"{name}: row {i} in neither output"):
            return
        cvo = acc[a]
        a += 1
        check(exp is not False, f"{name}: row {i} accepted, float64 gate rejects it")
        probs = list(cvo.genotype_probabilities)
        check(len(probs) == 3, f"{name}: row {i}: {len(probs)} probabilities")
        for k, v in enumerate(probs):
            check(float(np.float32(v)) == v, f"{name}: row {i}: probability {v!r} is not a float32 value")
            max_diff = max(max_diff, abs(v - p64[i][k]))
        variant, indices = full[i]
        expected = tfpy.Variant()
        expected.CopyFrom(variant)
        del expected.calls[1:]
        expected.calls[0].info["MID"].values.add().string_value = "small_model"
        expected.calls[0].call_set_name = sample  # --sample_name replaces the candidate's
        check(cvo.variant == expected, f"{name}: row {i}: CVO variant differs:\n{cvo.variant}\nvs\n{expected}")
        check(list(cvo.alt_allele_indices.indices) == list(indices.indices), f"{name}: row {i}: indices")
    check(a == len(acc) and r == len(rem), f"{name}: {len(acc) - a} CVOs / {len(rem) - r} remainder records unmatched")
    check(max_diff <= 1e-5, f"{name}: max |p - p64| = {max_diff}")
    print(f"{name}: {len(rows)} rows: {a} CVOs, {r} remainder records; max |p - p64| = {max_diff:.3g}")


def main():
    lines, rows = load_rows()
    with open(MODEL) as fh:
        model = json.load(fh)
    x = np.array([[float(r[f]) for f in WGS_FEATURES] for r in rows], np.float32)
    p64 = forward64(model["layers"], x)
    payloads, full = make_examples(rows)
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda name: os.path.join(tmp, name)  # noqa: E731
        # 1. TFRecord in (each compression) -> CVO + pass-through remainder.
        outputs = {}
        for comp, name in (("gzip", "in.tfrecord.gz"), ("multigzip", "in_multi.tfrecord.gz"),
                           ("zlib", "in_zlib.tfrecord"), ("none", "in_plain.tfrecord")):
            tfpy.write_tfrecords(t(name), payloads, comp)
            run(["--input", t(name), "--accepted", t("acc.tfrecord.gz"), "--remainder", t("rem.tfrecord.gz"),
                 "--sample_name", "SAMPLE1"])
            outputs[comp] = (tfpy.read_tfrecords(t("acc.tfrecord.gz")), tfpy.read_tfrecords(t("rem.tfrecord.gz")))
            if comp == "gzip":
                check_cvo_run("TFRecord(gzip) -> CVO", rows, payloads, full, p64, t("acc.tfrecord.gz"),
                              t("rem.tfrecord.gz"), "SAMPLE1")
            else:
                check(outputs[comp] == outputs["gzip"], f"{comp} input gives different outputs than gzip")
        # stdin, sniffed as TFRecord after gunzip.
        with open(t("in.tfrecord.gz"), "rb") as fh:
            proc = subprocess.run([BIN, "call", "--model", MODEL, "--quiet", "--input", "-", "--accepted",
                                   t("acc_stdin.tfrecord"), "--remainder", t("rem_stdin.tfrecord"),
                                   "--sample_name", "SAMPLE1"], stdin=fh, capture_output=True)
        check(proc.returncode == 0, f"stdin run: {proc.stderr}")
        check((tfpy.read_tfrecords(t("acc_stdin.tfrecord")), tfpy.read_tfrecords(t("rem_stdin.tfrecord"))) ==
              outputs["gzip"], "stdin TFRecord input differs")

        # 2. TSV in -> TFRecord remainder (tf.Examples) and CVOs equal to the TFRecord-in ones.
        run(["--input", os.path.join(SRC, "data", "sample.tsv.gz"), "--accepted", t("acc_tsv.tfrecord"),
             "--remainder", t("rem_tsv.tfrecord.gz"), "--sample_name", "SAMPLE1"])
        rem_examples = [tfpy.Example.FromString(b) for b in tfpy.read_tfrecords(t("rem_tsv.tfrecord.gz"))]
        rejected = [i for i in range(len(rows)) if payloads[i] in set(outputs["gzip"][1])]
        check(len(rem_examples) == len(rejected), "TSV->TFRecord remainder size")
        for ex, i in zip(rem_examples, rejected):
            f = ex.features.feature
            check(list(f["features/encoded"].int64_list.value) == [int(rows[i][k]) for k in WGS_FEATURES],
                  f"TSV->TFRecord remainder row {i}: features")
            check([b.decode() for b in f["ids/encoded"].bytes_list.value] ==
                  [rows[i][k] for k in ("contig", "start", "end", "ref", "alt")], f"TSV->TFRecord row {i}: ids")
        # The TSV's candidate columns make the same CVOs but for what only the Example's Variant
        # held (its variant-level info, the second call, the call's own sample).
        acc_tsv = [tfpy.CallVariantsOutput.FromString(b) for b in tfpy.read_tfrecords(t("acc_tsv.tfrecord"))]
        acc_tf = [tfpy.CallVariantsOutput.FromString(b) for b in outputs["gzip"][0]]
        check(len(acc_tsv) == len(acc_tf) > 100, f"TSV-in CVO count {len(acc_tsv)} vs {len(acc_tf)}")
        for x, y in zip(acc_tsv, acc_tf):
            del y.variant.calls[1:]
            y.variant.info.clear()
            check(x == y, f"TSV-in CVO differs from TFRecord-in:\n{x}\nvs\n{y}")

        # DeepVariant's own training examples carry no candidate: no AD, no alts beyond the
        # row's, so no CVO postprocess could use. The run fails naming the record.
        no_cand, _ = make_examples(rows, with_candidate=False)
        tfpy.write_tfrecords(t("nocand.tfrecord.gz"), no_cand)
        proc = run(["--input", t("nocand.tfrecord.gz"), "--accepted", t("nc.tfrecord.gz"), "--remainder",
                    t("nc_rem.tfrecord.gz")], expect=1)
        check("nocand.tfrecord.gz: record " in proc.stderr and "needs the row's candidate" in proc.stderr and
              not os.path.exists(t("nc.tfrecord.gz")), f"CVO without a candidate: {proc.stderr}")
        run(["--input", t("nocand.tfrecord.gz"), "--accepted", t("nc.tsv"), "--remainder", t("nc_rem.tsv")])

        # 3. TFRecord in -> TSV outputs.
        run(["--input", t("in.tfrecord.gz"), "--accepted", t("acc.tsv"), "--remainder", t("rem.tsv")])
        with open(t("rem.tsv")) as fh:
            rem_lines = fh.read().split("\n")[:-1]
        # The gate's inputs travel as columns: the realignment flag (is_multiallelic is a feature).
        check(rem_lines[0].split("\t") == ["contig", "start", "end", "ref", "alt", "realignment_sensitive",
                                            "candidate_alts", "dp", "ad"] + WGS_FEATURES,
              "TFRecord->TSV remainder header")
        for line, i in zip(rem_lines[1:], rejected):
            want = ([rows[i][k] for k in ("contig", "start", "end", "ref", "alt")] + ["0"] +
                    [rows[i][k] for k in ("candidate_alts", "dp", "ad")] + [rows[i][k] for k in WGS_FEATURES])
            check(line.split("\t") == want, f"TFRecord->TSV remainder row {i}")
        check(len(rem_lines) - 1 == len(rejected), "TFRecord->TSV remainder size")

        # 4. GNU parallel over 4 shards (regions dealt round-robin, as make_examples does).
        shard_of, region, last = [], -1, None
        for r in rows:
            key = (r["contig"], int(r["start"]) // 1000)
            if key != last:
                region, last = region + 1, key
            shard_of.append(region % 4)
        for s in range(4):
            tfpy.write_tfrecords(t(f"in-{s:05d}-of-00004.tfrecord.gz"),
                                 [p for p, k in zip(payloads, shard_of) if k == s])
        cmd = (f"seq 0 3 | parallel --halt now,fail=1 '{BIN}' call --model '{MODEL}' --quiet --task {{}} "
               f"--input '{t('in@4.tfrecord.gz')}' --accepted '{t('acc@4.tfrecord.gz')}' "
               f"--remainder '{t('rem@4.tfrecord.gz')}' --sample_name SAMPLE1")
        proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
        check(proc.returncode == 0, f"parallel: {proc.returncode} {proc.stderr}")
        acc_union, rem_union = [], []
        for s in range(4):
            acc_union += tfpy.read_tfrecords(t(f"acc-{s:05d}-of-00004.tfrecord.gz"))
            rem_union += tfpy.read_tfrecords(t(f"rem-{s:05d}-of-00004.tfrecord.gz"))
        check(sorted(acc_union) == sorted(outputs["gzip"][0]), "4 shards' CVOs != one process's")
        check(sorted(rem_union) == sorted(outputs["gzip"][1]), "4 shards' remainders != one process's")
        print(f"GNU parallel, 4 shards: {len(acc_union)} CVOs, {len(rem_union)} remainder records == one process")

        # 5. An empty shard still writes every output, valid and empty.
        for s in range(3):
            tfpy.write_tfrecords(t(f"e-{s:05d}-of-00003.tfrecord.gz"), payloads[:10] if s != 1 else [])
        run(["--task", "1", "--input", t("e@3.tfrecord.gz"), "--accepted", t("ea@3.tfrecord.gz"),
             "--remainder", t("er@3.tsv.gz")])
        check(tfpy.read_tfrecords(t("ea-00001-of-00003.tfrecord.gz")) == [], "empty shard CVO file")
        with gzip.open(t("er-00001-of-00003.tsv.gz"), "rt") as fh:
            check(fh.read().startswith("contig\tstart\tend\tref\talt\t"), "empty shard TSV remainder has a header")

        # 6. A failing shard under --halt now,fail=1: non-zero, and no final outputs for it.
        with open(t("in-00002-of-00004.tfrecord.gz"), "r+b") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.truncate(size // 2)
        for s in range(4):
            for p in ("acc", "rem"):
                os.remove(t(f"{p}-{s:05d}-of-00004.tfrecord.gz"))
        proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
        check(proc.returncode == 1, f"parallel with a corrupt shard exited {proc.returncode}")
        check("in-00002-of-00004.tfrecord.gz" in proc.stderr, f"corrupt shard message: {proc.stderr}")
        check(not os.path.exists(t("acc-00002-of-00004.tfrecord.gz")), "failed shard left a final output")
        check(not [f for f in os.listdir(tmp) if ".tmp." in f], "temporary files left behind")

        # 7. --flagfile gives the same run as the flags themselves.
        with open(t("flags"), "w") as fh:
            fh.write("# DeepVariant-style flag file\n--small_model_snp_gq_threshold=25\n\n"
                     "--nosmall_model_call_multiallelics\n-small_model_indel_gq_threshold=30\n")
        run(["--input", t("in.tfrecord.gz"), "--accepted", t("f1.tsv"), "--remainder", t("f1r.tsv"),
             "--flagfile=" + t("flags")])
        run(["--input", t("in.tfrecord.gz"), "--accepted", t("f2.tsv"), "--remainder", t("f2r.tsv"),
             "--small_model_snp_gq_threshold", "25", "--small_model_call_multiallelics=false",
             "--small_model_indel_gq_threshold=30"])
        with open(t("f1.tsv")) as a, open(t("f2.tsv")) as b, open(t("acc.tsv")) as c:
            f1, f2, default = a.read(), b.read(), c.read()
        check(f1 == f2 and f1 != default, "--flagfile run differs from explicit flags (or flags had no effect)")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
