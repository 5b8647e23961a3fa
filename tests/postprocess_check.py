#!/usr/bin/python3
"""The accepted VCF equals what postprocess_variants writes from the same calls, field by
field (CHROM POS REF ALT QUAL FILTER, GT GQ DP AD VAF PL MID), against postprocess_ref.py
(an independent Python reimplementation of DeepVariant's postprocess arithmetic, itself
checked against DeepVariant's golden output):

1. real rows: candidates computed from the fixture BAMs, every row accepted (thresholds 0),
   written once as CVOs and once as VCF; the reference postprocesses the CVOs. Both merge
   modes (product, min) and non-default postprocess flags.
2. crafted calls: a model whose output is the softmax of three input columns, so each row's
   probabilities are chosen: RefCall/NoCall by GQ, AD 0 or missing, ties, LowQual, pruned
   and simplified multi-allelic sites, overlapping calls that haplotype resolution changes.

Usage: postprocess_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import math
import os
import struct
import subprocess
import sys
import tempfile

import pysam

BIN, SRC = sys.argv[1], sys.argv[2]
MODEL = os.path.join(SRC, "data", "model.json")

import postprocess_ref as pr  # noqa: E402
import tfpy  # noqa: E402
from pyref import Checks  # noqa: E402
from real_reads import Fixtures, reads_dir  # noqa: E402

check = Checks()
ACCEPT_ALL = ["--small_model_snp_gq_threshold", "0", "--small_model_indel_gq_threshold", "0",
              "--norealignment_sensitive_to_remainder", "--quiet"]


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def run(*args, expect=0):
    proc = subprocess.run([BIN, "call"] + list(args), capture_output=True, text=True)
    check(proc.returncode == expect, f"call {args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def expected_fields(r):
    return {
        "chrom": r["contig"], "pos": r["start"] + 1, "ref": r["ref"], "alts": tuple(r["alts"]),
        "qual": f32(math.floor(r["qual"] * 10 + 0.5) / 10), "filter": r["filter"],
        "gt": tuple(None if g < 0 else g for g in r["gt"]), "gq": r["gq"], "pl": tuple(pr.pl_of(r["gl"])),
        "dp": r.get("dp"), "ad": tuple(r["ad"]) if r.get("ad") is not None else None,
        "vaf": tuple("%g" % f32(v) for v in r["vaf"]) if r.get("vaf") else None, "mid": "small_model",
    }


def vcf_fields(rec):
    s = rec.samples[0]

    def get(key):
        return s[key] if key in s and s[key] is not None and s[key] != (None,) else None
    vaf = get("VAF")
    return {
        "chrom": rec.chrom, "pos": rec.pos, "ref": rec.ref, "alts": rec.alts, "qual": f32(rec.qual),
        "filter": ";".join(rec.filter.keys()), "gt": s["GT"], "gq": s["GQ"], "pl": s["PL"], "dp": get("DP"),
        "ad": get("AD"), "vaf": tuple("%g" % f32(v) for v in vaf) if vaf else None, "mid": s["MID"],
    }


def compare(name, expected, vcf_path, sample=None):
    """Every record of the VCF against the reference's, in order; returns how many."""
    with pysam.VariantFile(vcf_path) as vf:
        got = list(vf)
        header = str(vf.header)
        samples = list(vf.header.samples)
    for needed in ('ID=RefCall', 'ID=LowQual', 'ID=NoCall', '<ID=GQ,Number=1,Type=Integer', 'ID=VAF,Number=A',
                   '<ID=PL,Number=G', '<ID=MID'):
        check(needed in header, f"{name}: header lacks {needed}")
    if sample:
        check(samples == [sample], f"{name}: sample {samples}")
    check(len(got) == len(expected), f"{name}: {len(got)} records, postprocess writes {len(expected)}")
    bad = 0
    for e, g in zip(expected, got):
        want, have = expected_fields(e), vcf_fields(g)
        check(not g.info.keys() and g.id is None, f"{name}: {g.chrom}:{g.pos} INFO/ID not empty")
        if want != have:
            bad += 1
            if bad <= 5:
                check(False, f"{name}: {g.chrom}:{g.pos}: " +
                      ", ".join(f"{k} {have[k]} != {want[k]}" for k in want if want[k] != have[k]))
    check(bad == 0, f"{name}: {bad} records differ")
    return len(got)


def contig_order(fasta):
    with open(fasta + ".fai") as fh:
        return [line.split("\t")[0] for line in fh]


def real_rows(tmp):
    reads = reads_dir(SRC, "postprocess on real rows")
    fx = Fixtures(reads)
    cases = [("NA12878_small", fx.BAM, fx.FASTA, ["--regions", "chr20:9999900-10010000"]),
             ("NA12878_S1 10-10.1Mb", os.path.join(reads, "dv-testdata", "NA12878_S1.chr20.10_10p1mb.bam"),
              os.path.join(reads, "dv-testdata", "ucsc.hg19.chr20.unittest.fasta.gz"),
              ["--regions", "chr20:10000000-10100000"]),
             ("freebayes-tiny", fx.TINY_BAM, fx.TINY_FASTA, [])]
    settings = [("product", []), ("min", ["--multiallelic_mode", "min"]),
                ("flags", ["--qual_filter", "10", "--multi_allelic_qual_filter", "5", "--cnn_homref_call_min_gq",
                           "30"])]
    totals = {}
    for label, bam, fasta, extra in cases:
        cvo = os.path.join(tmp, "cvo-00000-of-00001.tfrecord.gz")
        common = ["--model", MODEL, "--reads", bam, "--ref", fasta, "--remainder", os.path.join(tmp, "rem.tsv")]
        run(*common, "--accepted", cvo, *ACCEPT_ALL, *extra)
        cvos = [pr.cvo_dict(tfpy.CallVariantsOutput.FromString(b)) for b in tfpy.read_tfrecords(cvo)]
        sample = cvos[0]["sample"] if cvos else None
        multi = sum(1 for c in cvos if len(c["indices"]) == 2)
        for mode, flags in settings:
            vcf = os.path.join(tmp, f"acc_{mode}.vcf.gz")
            run(*common, "--accepted", vcf, *ACCEPT_ALL, *extra, *flags)
            kw = {"mode": "min" if mode == "min" else "product"}
            if mode == "flags":
                kw.update(qual_filter=10, multi_allelic_qual_filter=5, homref_min_gq=30)
            expected = pr.postprocess(cvos, contig_order(fasta), **kw)
            n = compare(f"{label} ({mode})", expected, vcf, sample)
            totals[(label, mode)] = n
        changed = sum(1 for r in pr.postprocess(cvos, contig_order(fasta)) if r.get("resolved"))
        print(f"real rows {label}: {len(cvos)} CVOs ({multi} pair subsets) -> "
              f"{totals[(label, 'product')]} records, equal in every field in all {len(settings)} settings"
              f"{f'; {changed} changed by haplotype resolution' if changed else ''}")
    return totals


def softmax_logits(p):
    return [math.log(max(x, 1e-38)) for x in p]


# (start, ref, candidate alts, dp, ad, [(subset alts, probabilities)]) on chr1, then chr2.
CRAFTED = [
    (100, "A", ["G"], 30, [15, 15], [(["G"], [0.001, 0.99, 0.009])]),          # PASS het
    (200, "C", ["T"], 30, [0, 30], [(["T"], [1e-6, 1e-4, 0.9999])]),            # PASS hom-alt, GQ 40
    (300, "G", ["A"], 30, [29, 1], [(["A"], [0.99999, 9e-6, 1e-6])]),           # RefCall, GQ 50
    (400, "T", ["C"], 30, [25, 5], [(["C"], [0.9, 0.08, 0.02])]),               # RefCall GQ < 20 -> NoCall
    (500, "A", ["C"], 20, [10, 10], [(["C"], [1 / 3, 1 / 3, 1 / 3])]),           # a three-way tie
    (600, "A", ["T"], 20, [10, 10], [(["T"], [0.0001, 0.49995, 0.49995])]),      # het/hom-alt tie: het
    (700, "G", ["C"], 0, [0, 0], [(["C"], [0.01, 0.98, 0.01])]),                # AD 0 -> NoCall
    (800, "G", ["T"], None, None, [(["T"], [0.01, 0.98, 0.01])]),               # no AD -> NoCall
    (900, "C", ["A"], 25, [20, 5], [(["A"], [0.3, 0.6, 0.1])]),                 # QUAL 5.2: LowQual at 10
    (1000, "A", ["C", "G"], 40, [2, 20, 18],                                     # het-alt 1/2
     [(["C"], [0.01, 0.9, 0.09]), (["G"], [0.02, 0.9, 0.08]), (["C", "G"], [0.001, 0.01, 0.989])]),
    (1100, "T", ["TA", "TAA", "C"], 40, [20, 19, 1, 0],                           # 3 alts, C and TAA pruned
     [(["TA"], [0.01, 0.95, 0.04]), (["TAA"], [0.9, 0.09, 0.01]), (["C"], [0.95, 0.04, 0.01]),
      (["TA", "TAA"], [0.01, 0.9, 0.09]), (["TA", "C"], [0.01, 0.93, 0.06]), (["TAA", "C"], [0.8, 0.15, 0.05])]),
    (1200, "G", ["A", "T"], 30, [28, 1, 1],                                       # every alt below 1: the best stays
     [(["A"], [0.85, 0.1, 0.05]), (["T"], [0.9, 0.08, 0.02]), (["A", "T"], [0.8, 0.15, 0.05])]),
    (1300, "CAA", ["C", "TAA"], 30, [10, 1, 19],                                  # C pruned, then CAA/TAA -> C/T
     [(["C"], [0.97, 0.02, 0.01]), (["TAA"], [0.01, 0.6, 0.39]), (["C", "TAA"], [0.02, 0.6, 0.38])]),
    (1400, "ACGTA", ["A"], 30, [3, 27], [(["A"], [0.01, 0.9, 0.09])]),           # het deletion over 1400-1404 ...
    (1402, "G", ["T"], 30, [15, 15], [(["T"], [0.02, 0.48, 0.5])]),             # ... and a hom-alt SNP inside it
    (1500, "ATTTT", ["A"], 30, [0, 30], [(["A"], [0.01, 0.04, 0.95])]),           # hom-alt deletion ...
    (1502, "T", ["G"], 30, [0, 30], [(["G"], [0.01, 0.04, 0.95])]),             # ... hom-alt SNP inside: both 2
    (1503, "T", ["C"], 30, [25, 5], [(["C"], [0.99, 0.009, 0.001])]),           # a reference call in the group
    (1600, "AC", ["A"], 30, [10, 20], [(["A"], [0.1, 0.3, 0.6])]),              # 1/1 deletion, 1/1 SNP: conflict
    (1601, "C", ["T"], 30, [10, 20], [(["T"], [0.1, 0.35, 0.55])]),
]


def crafted(tmp):
    feats = ["l0", "l1", "l2"]
    model = os.path.join(tmp, "logits.json")
    with open(model, "w") as fh:
        fh.write('{"format": "smallcall.mlp", "version": 1, "features": ["l0", "l1", "l2"], '
                 '"classes": ["hom_ref", "het", "hom_alt"], "layers": [{"activation": "softmax", '
                 '"kernel": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "bias": [0, 0, 0]}]}')
    lines = ["\t".join(["contig", "start", "end", "ref", "alt", "candidate_alts", "dp", "ad"] + feats)]
    for contig in ("chr1", "chr2"):
        for start, ref, alts, dp, ad, subsets in CRAFTED:
            for sub, p in subsets:
                lines.append("\t".join([contig, str(start), str(start + len(ref)), ref, "|".join(sub), "|".join(alts),
                                        "." if dp is None else str(dp),
                                        "." if ad is None else ",".join(map(str, ad))] +
                                       [repr(x) for x in softmax_logits(p)]))
    rows_path = os.path.join(tmp, "crafted.tsv")
    with open(rows_path, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    common = ["--model", model, "--input", rows_path, "--remainder", os.path.join(tmp, "crafted_rem.tsv"), *ACCEPT_ALL]
    run(*common, "--accepted", os.path.join(tmp, "crafted_acc.tsv"))
    with open(os.path.join(tmp, "crafted_acc.tsv")) as fh:
        acc = [line.rstrip("\n").split("\t") for line in fh][1:]
    check(len(acc) == len(lines) - 1, f"crafted: {len(acc)} of {len(lines) - 1} rows accepted")
    # The CVOs postprocess would read: the rows' candidates with the probabilities smallcall
    # computed (the accepted TSV's float32 values), as the CVO writer stores them.
    cvos = []
    for line, a in zip(lines[1:], acc):
        f = dict(zip(lines[0].split("\t"), line.split("\t")))
        alts = f["candidate_alts"].split("|")
        info = {"MID": "small_model"}
        if f["ad"] != ".":
            ad = [int(x) for x in f["ad"].split(",")]
            info.update(AD=ad, AD_int=ad, DP=[int(f["dp"])],
                        VAF=[x / int(f["dp"]) if int(f["dp"]) else 0.0 for x in ad[1:]])
        cvos.append({"contig": f["contig"], "start": int(f["start"]), "end": int(f["end"]), "ref": f["ref"],
                     "alts": alts, "indices": [alts.index(x) for x in f["alt"].split("|")],
                     "probs": [float(struct.unpack("f", struct.pack("f", float(x)))[0]) for x in a[7:10]],
                     "info": info})
    for mode, flags, kw in (("product", [], {}), ("min", ["--multiallelic_mode", "min"], {"mode": "min"}),
                            ("qual_filter 10", ["--qual_filter", "10"], {"qual_filter": 10})):
        vcf = os.path.join(tmp, "crafted.vcf")
        run(*common, "--accepted", vcf, "--sample_name", "S1", *flags)
        expected = pr.postprocess(cvos, ["chr1", "chr2"], **kw)
        compare(f"crafted ({mode})", expected, vcf, "S1")
        if mode == "product":
            by_pos = {(r["contig"], r["start"]): r for r in expected}
            filters = {r["filter"] for r in expected}
            check(filters == {"PASS", "RefCall", "NoCall"}, f"crafted: filters {filters}")
            check(by_pos[("chr1", 1300)]["ref"] == "C" and by_pos[("chr1", 1300)]["alts"] == ["T"],
                  "crafted: the pruned, simplified site")
            check(any(r.get("resolved") for r in expected), "crafted: no call changed by haplotype resolution")
        else:
            check(mode != "qual_filter 10" or any(r["filter"] == "LowQual" for r in expected), "crafted: LowQual")
    print(f"crafted calls: {len(expected)} records x 3 settings equal in every field "
          f"({sum(1 for r in expected if r.get('resolved'))} changed by haplotype resolution)")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        real_rows(tmp)
        crafted(tmp)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
