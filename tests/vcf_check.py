#!/usr/bin/python3
"""VCF outputs read back with bcftools (Debian's, independent of smallcall): accepted calls
are one record per accepted candidate of the TSV output of the same run (the numbers in them
are postprocess_check.py's subject), records are sorted and
indexed (bcftools view -r works), the remainder sites VCF has one record per candidate with
all its alts, unsorted input and the spill-and-merge sort give the same file, .bcf gets CSI,
--ref supplies contig lengths (and CSI past 2^29 bp), an unknown contig is an error.

Usage: vcf_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import gzip
import os
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
SAMPLE = os.path.join(SRC, "data", "sample.tsv.gz")
MODEL = os.path.join(SRC, "data", "model.json")

from pyref import Checks  # noqa: E402

check = Checks()


def call(*args, env=None, expect=0):
    proc = subprocess.run([BIN, "call", "--model", MODEL, "--quiet"] + list(args), capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))
    check(proc.returncode == expect, f"call {args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def bcftools(*args):
    proc = subprocess.run(["bcftools"] + list(args), capture_output=True, text=True)
    check(proc.returncode == 0, f"bcftools {args}: {proc.stderr}")
    return proc.stdout


def records(path, *extra):
    out = bcftools("query", "-f", "%CHROM\t%POS\t%REF\t%ALT[\t%GT\t%GQ]\n", *extra, path)
    return [line.split("\t") for line in out.split("\n") if line]


def main():
    with gzip.open(SAMPLE, "rt") as fh:
        lines = fh.read().split("\n")[:-1]
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        call("--input", SAMPLE, "--accepted", t("acc.vcf.gz"), "--remainder", t("rem.vcf.gz"), "--sample_name", "S1")
        call("--input", SAMPLE, "--accepted", t("acc.tsv"), "--remainder", t("rem.tsv"))
        check(os.path.exists(t("acc.vcf.gz.tbi")) and os.path.exists(t("rem.vcf.gz.tbi")), "TBI indexes missing")
        vcf = records(t("acc.vcf.gz"))
        with open(t("acc.tsv")) as fh:
            tsv = [line.split("\t") for line in fh.read().split("\n")[1:-1]]
        want = sorted({(r[0], int(r[1]) + 1) for r in tsv})
        check(sorted((v[0], int(v[1])) for v in vcf) == want,
              f"VCF records != accepted candidates of the TSV ({len(vcf)} vs {len(want)})")
        multi = [v for v in vcf if "," in v[3]]
        check(len({(v[0], v[1]) for v in vcf}) == len(vcf) and multi,
              f"one record per candidate, multi-allelic ones merged ({len(multi)})")
        keys = [(v[0], int(v[1])) for v in vcf]
        check(keys == sorted(keys), "VCF records are not coordinate-sorted")
        # Region query through the index.
        sub = records(t("acc.vcf.gz"), "-r", "chr20:1000000-1100000")
        check(len(sub) == sum(1 for v in vcf if v[0] == "chr20" and 1000000 <= int(v[1]) <= 1100000) and sub,
              "bcftools -r through the TBI index")
        head = bcftools("view", "-h", t("acc.vcf.gz"))
        for needed in ("##source=smallcall", "##contig=<ID=chr20>", "ID=MID", "ID=GQ", "ID=PL", "ID=VAF", "ID=NoCall",
                       "##smallcall_postprocess=<multiallelic_mode=product", "#CHROM\tPOS", "\tS1"):
            check(needed in head, f"header lacks {needed}")
        check("small_model" in bcftools("query", "-f", "[%MID]\n", t("acc.vcf.gz")), "MID values")

        # Remainder: one sites-only record per candidate with a remainder row, all its alts.
        with open(t("rem.tsv")) as fh:
            rem_keys = {tuple(line.split("\t")[i] for i in (0, 1, 3)) for line in fh.read().split("\n")[1:-1]}
        cand_alts = {}
        for r in rows:
            alts = cand_alts.setdefault((r["contig"], r["start"], r["ref"]), [])
            for a in r["alt"].split("|"):
                if a not in alts:
                    alts.append(a)
        want_sites = sorted((c, str(int(s) + 1), ref, ",".join(cand_alts[(c, s, ref)])) for c, s, ref in rem_keys)
        sites = records(t("rem.vcf.gz"))
        check(sorted(tuple(v[:4]) for v in sites) == want_sites, f"remainder sites ({len(sites)} vs {len(want_sites)})")
        check("FORMAT" not in bcftools("view", "-h", t("rem.vcf.gz")).split("\n")[-2], "remainder VCF is not sites-only")

        # Unsorted input, sorted with tiny runs through the merge: the same file content.
        regions, last = [], None
        for line, r in zip(lines[1:], rows):
            key = (r["contig"], int(r["start"]) // 1000)
            if key != last:
                regions.append([])
                last = key
            regions[-1].append(line)
        with open(t("shuffled.tsv"), "w") as fh:
            fh.write(lines[0] + "\n" + "".join(l + "\n" for reg in reversed(regions) for l in reg))
        call("--input", t("shuffled.tsv"), "--accepted", t("acc2.vcf.gz"), "--remainder", t("rem2.vcf.gz"),
             "--sample_name", "S1", env={"SMALLCALL_SORT_RUN_RECORDS": "97"})
        check(records(t("acc2.vcf.gz")) == vcf, "unsorted input + merged runs differ from the sorted run")
        check(records(t("rem2.vcf.gz")) == sites, "remainder sites differ for unsorted input")
        check(not [f for f in os.listdir(tmp) if ".tmp." in f], "scratch files left behind")

        # BCF with CSI; --ref contigs with lengths; CSI beyond 2^29; unknown contig.
        call("--input", SAMPLE, "--accepted", t("acc.bcf"), "--remainder", t("r3.tsv"))
        check(os.path.exists(t("acc.bcf.csi")) and records(t("acc.bcf")) == records(t("acc.vcf.gz")), "BCF + CSI")
        with open(t("ref.fa"), "w") as fh:
            fh.write(">chr20\nACGT\n>chr21\nACGT\n")
        with open(t("ref.fa.fai"), "w") as fh:
            fh.write("chr20\t64444167\t7\t4\t5\nchr21\t48129895\t19\t4\t5\n")
        call("--input", SAMPLE, "--accepted", t("acc4.vcf.gz"), "--remainder", t("r4.tsv"), "--ref", t("ref.fa"))
        check("##contig=<ID=chr20,length=64444167>" in bcftools("view", "-h", t("acc4.vcf.gz")), "contig lengths from --ref")
        with open(t("ref.fa.fai"), "w") as fh:
            fh.write("chr20\t600000000\t7\t4\t5\nchr21\t48129895\t19\t4\t5\n")
        call("--input", SAMPLE, "--accepted", t("acc5.vcf.gz"), "--remainder", t("r5.tsv"), "--ref", t("ref.fa"))
        check(os.path.exists(t("acc5.vcf.gz.csi")) and not os.path.exists(t("acc5.vcf.gz.tbi")), "CSI beyond 2^29")
        with open(t("ref.fa.fai"), "w") as fh:
            fh.write("chr1\t64444167\t7\t4\t5\n")
        proc = call("--input", SAMPLE, "--accepted", t("acc6.vcf.gz"), "--remainder", t("r6.tsv"), "--ref", t("ref.fa"),
                    expect=1)
        check('contig "chr20" is not in the reference' in proc.stderr and not os.path.exists(t("acc6.vcf.gz")),
              f"unknown contig: {proc.stderr}")
        print(f"VCF: {len(vcf)} accepted records == TSV, {len(sites)} remainder sites, sorted, indexed")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
