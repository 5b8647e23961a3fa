#!/usr/bin/python3
"""The DeepVariant two-pass pipeline (scripts/deepvariant_pipeline.sh) without DeepVariant:

1. the script's syntax (bash -n, and shellcheck when installed);
2. a dry run on the fixture BAMs (2 shards): smallcall's files pass every item of the
   contract checklist (scripts/check_deepvariant_contract.py, doc section 7.1 items 1-13) —
   on the DV test BAM with every candidate accepted, multi-allelic ones included;
3. the checker can fail: a lone CVO name, a candidate in both outputs, a REF that differs from
   the reference, a missing pair subset, each reported;
4. the full script with DeepVariant replaced by stubs that record their command lines:
   make_examples once per shard with the importer flags (item 14), postprocess_variants with
   smallcall's spec and sample (item 15);
5. sharded VCF outputs: `bcftools concat -a` of the shards equals the unsharded output, while
   a plain concat of them is out of order.
Exit 77 (skipped) when the fixtures are absent.

Usage: pipeline_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

from real_reads import Fixtures, reads_dir

BIN, SRC = sys.argv[1], sys.argv[2]
READS = reads_dir(SRC, "pipeline checks")

import tfpy  # noqa: E402
from pyref import Checks  # noqa: E402

check = Checks()
F = Fixtures(READS)
SCRIPT = os.path.join(SRC, "scripts", "deepvariant_pipeline.sh")
CHECKER = os.path.join(SRC, "scripts", "check_deepvariant_contract.py")
MODEL = os.path.join(SRC, "data", "model.json")
DV_BAM = os.path.join(READS, "dv-testdata", "NA12878_S1.chr20.10_10p1mb.bam")
DV_FASTA = os.path.join(READS, "dv-testdata", "ucsc.hg19.chr20.unittest.fasta.gz")


def sh(cmd, expect=0, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, SMALLCALL=BIN, **(env or {})))
    check(proc.returncode == expect, f"{cmd[:3]}...: exit {proc.returncode} (wanted {expect}): {proc.stderr[-800:]}")
    return proc


def contract(cvo, remainder, ref, regions=None, expect=0):
    cmd = ["/usr/bin/python3", CHECKER, "--cvo", cvo, "--remainder", remainder, "--ref", ref]
    if regions:
        cmd += ["--regions", regions]
    return sh(cmd, expect=expect)


def records(vcf):
    return subprocess.run(["bcftools", "query", "-f", "%CHROM\t%POS\t%REF\t%ALT\n", vcf], capture_output=True,
                          text=True, check=True).stdout.splitlines()


def main():
    sh(["bash", "-n", SCRIPT])
    if shutil.which("shellcheck"):
        sh(["shellcheck", SCRIPT])
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731

        # 2. Dry runs: smallcall's files against the contract.
        runs = [("NA12878_small", F.BAM, F.FASTA, "chr20:10000000-10010000", []),
                ("NA12878_S1, all accepted", DV_BAM, DV_FASTA, "chr20:10000000-10100000",
                 ["--small_model_snp_gq_threshold", "0", "--small_model_indel_gq_threshold", "0",
                  "--norealignment_sensitive_to_remainder"]),
                ("NA12878_S1, default gate", DV_BAM, DV_FASTA, "chr20:10000000-10100000", [])]
        for k, (label, bam, fasta, regions, extra) in enumerate(runs):
            out = t(f"dry{k}")
            p = sh(["bash", SCRIPT, "--reads", bam, "--ref", fasta, "--model", MODEL, "--out", out, "--regions",
                    regions, "--shards", "2", "--dry-run", "--"] + extra)
            check("make_examples --flagfile=" in p.stdout and "postprocess_variants --flagfile=" in p.stdout,
                  f"{label}: the dry run prints DeepVariant's commands")
            c = contract(os.path.join(out, "smallcall_cvo@2.tfrecord.gz"), os.path.join(out, "remainder.vcf.gz"),
                         fasta, regions)
            print(f"{label}: {c.stdout.strip()}")
            if k == 1:
                pairs = sum(1 for s in range(2) for b in tfpy.read_tfrecords(
                    os.path.join(out, f"smallcall_cvo-{s:05d}-of-00002.tfrecord.gz"))
                    if len(tfpy.CallVariantsOutput.FromString(b).alt_allele_indices.indices) == 2)
                check(pairs > 0, "the all-accepted run has multi-allelic candidates (pair subsets)")

        # 3. The checker fails when an item does not hold.
        base = t("dry0")
        shutil.copy(os.path.join(base, "smallcall_cvo-00000-of-00002.tfrecord.gz"), t("lone.tfrecord.gz"))
        p = contract(t("lone.tfrecord.gz"), os.path.join(base, "remainder.vcf.gz"), F.FASTA, expect=1)
        check("FAIL item 1" in p.stdout, f"a lone CVO name: {p.stdout}")
        sh([BIN, "call", "--model", MODEL, "--reads", F.BAM, "--ref", F.FASTA, "--regions",
            "chr20:10000000-10010000", "--accepted", t("acc.tsv"), "--remainder", t("all_sites.vcf.gz"), "--quiet",
            "--small_model_snp_gq_threshold", "99", "--small_model_indel_gq_threshold", "99"])
        p = contract(os.path.join(base, "smallcall_cvo@2.tfrecord.gz"), t("all_sites.vcf.gz"), F.FASTA, expect=1)
        check("FAIL item 9" in p.stdout, f"candidates in both outputs: {p.stdout}")
        # A sites VCF whose REF differs from the reference.
        with open(t("bad_ref.vcf"), "w") as fh:
            fh.write("##fileformat=VCFv4.2\n##contig=<ID=chr20,length=63025520>\n"
                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr20\t10000117\t.\tG\tT\t.\t.\t.\n")
        subprocess.run(["bcftools", "view", "-O", "z", "-o", t("bad_ref.vcf.gz"), t("bad_ref.vcf")], check=True)
        subprocess.run(["bcftools", "index", "-t", t("bad_ref.vcf.gz")], check=True)
        p = contract(os.path.join(t("dry1"), "smallcall_cvo@2.tfrecord.gz"), t("bad_ref.vcf.gz"), DV_FASTA, expect=1)
        check("FAIL item 12" in p.stdout and "REF equals the FASTA" in p.stdout, f"a wrong REF: {p.stdout}")
        # A multi-allelic candidate with its pair subset missing.
        kept = []
        src = os.path.join(t("dry1"), "smallcall_cvo-00000-of-00002.tfrecord.gz")
        dropped = False
        for b in tfpy.read_tfrecords(src):
            if not dropped and len(tfpy.CallVariantsOutput.FromString(b).alt_allele_indices.indices) == 2:
                dropped = True
                continue
            kept.append(b)
        if dropped:
            os.makedirs(t("gap"))
            tfpy.write_tfrecords(t("gap/c-00000-of-00001.tfrecord.gz"), kept)
            p = contract(t("gap/c@1.tfrecord.gz"), t("bad_ref.vcf.gz"), DV_FASTA, expect=1)
            check("FAIL item 6" in p.stdout, f"a missing pair subset: {p.stdout}")
        # smallcall itself refuses a remainder REF that differs from --ref.
        one = t("one_feature.json")
        with open(t("rows.tsv"), "w") as fh:
            fh.write("contig\tstart\tend\tref\talt\tx\nchr20\t10000116\t10000117\tG\tT\t1\n")
        with open(one, "w") as fh:
            fh.write('{"format": "smallcall.mlp", "version": 1, "features": ["x"], "classes": ["hom_ref", "het", '
                     '"hom_alt"], "layers": [{"activation": "softmax", "kernel": [[0, 0, 0]], "bias": [0, 0, 0]}]}')
        p = sh([BIN, "call", "--model", one, "--input", t("rows.tsv"), "--ref", DV_FASTA, "--accepted",
                t("r_acc.tsv"), "--remainder", t("r_rem.vcf.gz"), "--quiet"], expect=1)
        check("has REF G but" in p.stderr and "has C there" in p.stderr and not os.path.exists(t("r_rem.vcf.gz")),
              f"smallcall refuses a REF that differs from --ref: {p.stderr}")

        # 4. The full script with DeepVariant stubbed: what each tool would be given.
        stubs = t("dv_stubs")
        os.makedirs(stubs)
        log = t("dv_calls.log")
        for tool in ("make_examples", "call_variants", "postprocess_variants"):
            path = os.path.join(stubs, tool)
            with open(path, "w") as fh:
                fh.write(f'#!/bin/sh\necho "{tool} $*" >> "{log}"\n')
            os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
        out = t("full")
        sh(["bash", SCRIPT, "--reads", F.BAM, "--ref", F.FASTA, "--model", MODEL, "--out", out, "--regions",
            "chr20:10000000-10010000", "--shards", "2", "--gvcf"], env={"DV": stubs, "DV_VERSION": "1.10"})
        calls = open(log).read().splitlines()
        me = sorted(c for c in calls if c.startswith("make_examples"))
        check(me == [f"make_examples --flagfile={out}/make_examples.flags --task={i}" for i in range(2)],
              f"make_examples once per shard: {me}")
        check(sum(c.startswith("call_variants") for c in calls) == 1 and
              sum(c.startswith("postprocess_variants") for c in calls) == 1 and
              calls[-1].startswith("postprocess_variants"), f"call_variants then postprocess_variants: {calls}")
        me_flags = open(os.path.join(out, "make_examples.flags")).read().splitlines()
        for needed in ("--mode=calling", "--variant_caller=vcf_candidate_importer",
                       f"--proposed_variants={out}/remainder.vcf.gz", "--nocall_small_model_examples",
                       "--sample_name=NA12878", "--regions=chr20:10000000-10010000",
                       "--checkpoint_json=/opt/models/wgs/model.example_info.json", f"--gvcf={out}/gvcf.tfrecord@2.gz"):
            check(needed in me_flags, f"make_examples flag file lacks {needed} (item 14)")
        check(not [f for f in me_flags if f.startswith("--") and " " in f.split("=", 1)[0]],
              "one --name=value per line")
        pp = open(os.path.join(out, "postprocess_variants.flags")).read().splitlines()
        for needed in (f"--small_model_cvo_records={out}/smallcall_cvo@2.tfrecord.gz", "--sample_name=NA12878",
                       f"--infile={out}/call_variants_output.tfrecord.gz", "--regions=chr20:10000000-10010000",
                       f"--nonvariant_site_tfrecord_path={out}/gvcf.tfrecord@2.gz"):
            check(needed in pp, f"postprocess_variants flag file lacks {needed} (item 15)")
        check(not [f for f in pp if "group_variants" in f or "resolve_call_variants" in f],
              "postprocess keeps --group_variants, no resolve mode")

        # 5. Sharded VCF outputs: merged by position, not appended.
        common = [BIN, "call", "--model", MODEL, "--reads", DV_BAM, "--ref", DV_FASTA, "--regions",
                  "chr20:10000000-10100000", "--quiet"]
        sh(common + ["--accepted", t("one.vcf.gz"), "--remainder", t("one_rem.vcf.gz")])
        for s in range(2):
            sh(common + ["--task", str(s), "--accepted", t("sh@2.vcf.gz"), "--remainder", t("shr@2.vcf.gz")])
        for kind in ("sh", "shr"):
            shards = [t(f"{kind}-{s:05d}-of-00002.vcf.gz") for s in range(2)]
            sh(["bcftools", "concat", "-a", "-O", "z", "-o", t(f"{kind}_merged.vcf.gz")] + shards)
            sh(["bcftools", "concat", "-O", "z", "-o", t(f"{kind}_appended.vcf.gz")] + shards)
            whole = t("one.vcf.gz" if kind == "sh" else "one_rem.vcf.gz")
            merged, appended = records(t(f"{kind}_merged.vcf.gz")), records(t(f"{kind}_appended.vcf.gz"))
            check(merged == records(whole) and merged, f"{kind}: concat -a of the shards == the unsharded output")
            keys = [int(r.split("\t")[1]) for r in appended]
            check(keys != sorted(keys), f"{kind}: a plain concat of interleaved shards is out of order")
        print("pipeline: syntax, 3 dry runs pass the contract, the checker fails 4 broken inputs, stubbed DeepVariant "
              "gets the importer flags and smallcall's spec, sharded VCFs merge with concat -a")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
