#!/usr/bin/python3
"""Checks the files a small-model pre-caller hands to DeepVariant against the contract of
deepvariant-pipeline-contract.md section 7.1 (items 1-13), with code of its own (python3-
protobuf, python3-pysam): what postprocess_variants --small_model_cvo_records and
make_examples --variant_caller=vcf_candidate_importer --proposed_variants require.

Usage:
  check_deepvariant_contract.py --cvo OUT/smallcall_cvo@N.tfrecord.gz --remainder OUT/remainder.vcf.gz \\
      --ref REF.fa [--sample NAME] [--regions "chr20 chr21:1-100"]

Exit 0 when every item holds, 1 otherwise (each failure printed), 2 on usage errors.
"""
import argparse
import glob
import gzip
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfpy  # noqa: E402

try:
    import pysam
except ImportError:  # pragma: no cover
    sys.exit("check_deepvariant_contract.py needs python3-pysam")

SPEC = re.compile(r"^((.*)@(\d*[1-9]\d*)(?:\.(.+))?)$")  # nucleus sharded_file_utils
SYMBOLIC = re.compile(r"^(<.*>|\.|\*)$")


class Report:
    def __init__(self):
        self.failures = {}
        self.passed = []

    def item(self, number, text, ok, detail=""):
        if ok:
            self.passed.append(number)
        else:
            self.failures.setdefault(number, []).append(f"{text}{': ' + detail if detail else ''}")
        return ok


def cvo_paths(spec):
    """postprocess_variants' get_cvo_paths for a sharded spec: NAME@N[.SUFFIX]."""
    m = SPEC.match(spec)
    if not m:
        return None
    base, n, suffix = m.group(2), int(m.group(3)), m.group(4)
    width = max(5, len(str(n)))
    return [f"{base}-{i:0{width}d}-of-{n:0{width}d}" + (f".{suffix}" if suffix else "") for i in range(n)]


def parse_regions(text, fai):
    out = []
    for r in (text or "").split():
        if ":" not in r:
            out.append((r, 0, fai[r]))
            continue
        contig, span = r.rsplit(":", 1)
        span = span.replace(",", "")
        a, _, b = span.partition("-")
        out.append((contig, int(a) - 1, int(b or a)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cvo", required=True, help="the CVO spec passed to --small_model_cvo_records (NAME@N.tfrecord.gz)")
    ap.add_argument("--remainder", required=True, help="the sites VCF passed to --proposed_variants")
    ap.add_argument("--ref", required=True, help="the reference FASTA (with .fai)")
    ap.add_argument("--sample", help="the sample name make_examples and postprocess get [default: the CVOs']")
    ap.add_argument("--regions", help="the calling regions, as given to make_examples")
    args = ap.parse_args()
    rep = Report()
    fasta = pysam.FastaFile(args.ref)
    fai = dict(zip(fasta.references, fasta.lengths))

    # 1. Shard names postprocess can resolve.
    paths = cvo_paths(args.cvo)
    rep.item(1, "the CVO spec is NAME@N.tfrecord.gz", paths is not None and args.cvo.endswith(".tfrecord.gz"), args.cvo)
    paths = paths or [args.cvo]
    missing = [p for p in paths if not os.path.exists(p)]
    rep.item(1, "every shard the spec names exists", not missing, ", ".join(missing))
    if paths and not missing:
        base = SPEC.match(args.cvo).group(2) if SPEC.match(args.cvo) else None
        if base:
            stray = sorted(set(glob.glob(f"{glob.escape(base)}-*-of-*.tfrecord.gz")) - set(paths))
            rep.item(1, "no other shard set under the same name", not stray, ", ".join(stray))

    # 2-8. The records.
    groups = {}
    sample = args.sample
    n_records = 0
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path, "rb") as fh:
            rep.item(2, f"{path} is GZIP", fh.read(2) == b"\x1f\x8b")
        try:
            payloads = tfpy.read_tfrecords(path)
        except Exception as e:  # noqa: BLE001
            rep.item(2, f"{path}: TFRecord framing", False, str(e))
            continue
        for k, payload in enumerate(payloads):
            where = f"{os.path.basename(path)} record {k}"
            n_records += 1
            try:
                cvo = tfpy.CallVariantsOutput.FromString(payload)
            except Exception as e:  # noqa: BLE001
                rep.item(2, f"{where} parses as CallVariantsOutput", False, str(e))
                continue
            v = cvo.variant
            rep.item(3, f"{where}: exactly one call", len(v.calls) == 1, str(len(v.calls)))
            if len(v.calls) != 1:
                continue
            call = v.calls[0]
            if sample is None:
                sample = call.call_set_name
            rep.item(3, f"{where}: call_set_name is {sample!r}", call.call_set_name == sample and call.call_set_name,
                     repr(call.call_set_name))
            contig_ok = rep.item(4, f"{where}: contig in the FASTA", v.reference_name in fai, v.reference_name)
            rep.item(4, f"{where}: 0 <= start < end = start + len(REF)",
                     0 <= v.start < v.end and v.end == v.start + len(v.reference_bases), f"{v.start} {v.end}")
            if contig_ok and v.end <= fai[v.reference_name]:
                bases = fasta.fetch(v.reference_name, v.start, v.end).upper()
                rep.item(4, f"{where}: REF equals the FASTA", v.reference_bases.upper() == bases,
                         f"{v.reference_bases} vs {bases}")
            alts = list(v.alternate_bases)
            rep.item(4, f"{where}: ALTs are [ACGTN]+, distinct, not REF, not symbolic",
                     alts and len(set(alts)) == len(alts) and all(re.fullmatch("[ACGTN]+", a) and a != v.reference_bases
                                                                 for a in alts), str(alts))
            info = call.info
            ad = info["AD"].values if "AD" in info else []
            rep.item(5, f"{where}: AD has n_alts + 1 int_value entries",
                     len(ad) == len(alts) + 1 and all(x.WhichOneof("kind") == "int_value" for x in ad),
                     str([x.WhichOneof("kind") for x in ad]))
            rep.item(5, f"{where}: AD sums to more than 0", sum(x.int_value for x in ad) > 0)
            if "DP" in info:
                rep.item(5, f"{where}: DP is one int_value", len(info["DP"].values) == 1 and
                         info["DP"].values[0].WhichOneof("kind") == "int_value")
            if "VAF" in info:
                rep.item(5, f"{where}: VAF is n_alts number_value entries", len(info["VAF"].values) == len(alts) and
                         all(x.WhichOneof("kind") == "number_value" for x in info["VAF"].values))
            if "MID" in info:
                rep.item(5, f"{where}: MID is one string_value", len(info["MID"].values) == 1 and
                         info["MID"].values[0].WhichOneof("kind") == "string_value")
            p = list(cvo.genotype_probabilities)
            rep.item(8, f"{where}: 3 finite probabilities in [0, 1] summing to 1 +- 1e-6",
                     len(p) == 3 and all(math.isfinite(x) and 0 <= x <= 1 for x in p) and abs(sum(p) - 1) <= 1e-6,
                     str(p))
            key = (v.reference_name, v.start, v.end)
            groups.setdefault(key, []).append((where, cvo))
    for key, members in groups.items():
        n = len(members[0][1].variant.alternate_bases)
        got = sorted(sorted(c.alt_allele_indices.indices) for _, c in members)
        want = sorted([[i] for i in range(n)] + [[i, j] for i in range(n) for j in range(i + 1, n)])
        rep.item(6, f"{key}: every singleton and pair subset once", got == want, f"{got} vs {want}")
        first = members[0][1].variant
        rep.item(7, f"{key}: one Variant in every CVO", all(c.variant == first for _, c in members))
        rep.item(9, f"{key}: one candidate per (contig, start, end)",
                 len({tuple(c.variant.alternate_bases) for _, c in members}) == 1)

    # 11-13. The remainder.
    vcf = args.remainder
    with open(vcf, "rb") as fh:
        head = fh.read(18)
    rep.item(11, f"{vcf} is bgzipped", head[:4] == b"\x1f\x8b\x08\x04" and head[12:14] == b"BC")
    rep.item(11, f"{vcf} has a .tbi index", os.path.exists(vcf + ".tbi"), "(a .csi is [unconfirmed] for the importer)")
    sites = []
    with pysam.VariantFile(vcf) as vf:
        header_contigs = set(vf.header.contigs)
        for rec in vf:
            sites.append(rec)
            rep.item(11, f"{rec.chrom}:{rec.pos}: contig has a ##contig line and is in the FASTA",
                     rec.chrom in header_contigs and rec.chrom in fai)
            if rec.chrom in fai:
                bases = fasta.fetch(rec.chrom, rec.start, rec.start + len(rec.ref)).upper()
                rep.item(12, f"{rec.chrom}:{rec.pos}: REF equals the FASTA", rec.ref.upper() == bases,
                         f"{rec.ref} vs {bases}")
            rep.item(12, f"{rec.chrom}:{rec.pos}: no symbolic ALT", rec.alts and
                     not any(SYMBOLIC.match(a) for a in rec.alts), str(rec.alts))
            for s in rec.samples.values():
                gt = s.get("GT")
                rep.item(12, f"{rec.chrom}:{rec.pos}: GT absent or ./.", gt is None or all(g is None for g in gt))
    order = {c: i for i, c in enumerate(fasta.references)}
    keys = [(order.get(r.chrom, -1), r.start) for r in sites]
    rep.item(11, f"{vcf} is coordinate-sorted", keys == sorted(keys))
    rep.item(12, f"{vcf}: one record per candidate (no split multi-allelic sites)",
             len(set((r.chrom, r.start) for r in sites)) == len(sites))
    cvo_sites = {(k[0], k[1]) for k in groups}
    both = sorted(cvo_sites & {(r.chrom, r.start) for r in sites})
    rep.item(9, "no candidate in both the CVOs and the remainder", not both, str(both[:5]))
    if args.regions:
        regions = parse_regions(args.regions, fai)
        inside = lambda c, s: any(c == rc and b <= s < e for rc, b, e in regions)  # noqa: E731
        out = [f"{c}:{s + 1}" for c, s in cvo_sites | {(r.chrom, r.start) for r in sites} if not inside(c, s)]
        rep.item(13, "every candidate inside --regions", not out, ", ".join(sorted(out)[:5]))

    for number in sorted(rep.failures):
        for f in rep.failures[number][:10]:
            print(f"FAIL item {number}: {f}")
    checked = sorted(set(rep.passed) | set(rep.failures))
    print(f"contract items {checked[0] if checked else '-'}..{checked[-1] if checked else '-'}: {n_records} CVOs in "
          f"{len(groups)} candidates, {len(sites)} remainder sites, sample {sample!r}: "
          f"{'all hold' if not rep.failures else f'{len(rep.failures)} item(s) FAIL'}")
    return 1 if rep.failures else 0


if __name__ == "__main__":
    sys.exit(main())
