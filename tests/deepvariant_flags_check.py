#!/usr/bin/python3
"""DeepVariant's flags on real reads (../shared/fixtures/reads): the make_examples flags
run_deepvariant passes (r1.9 WGS, PacBio, ONT; r1.10 with --checkpoint_json) as an absl flag
file drive `smallcall features` and `smallcall call --reads`:

1. WGS r1.9: accepted by both commands; the rows and calls equal a run with smallcall's own
   flags; the note names exactly the flags with no effect.
2. PacBio / ONT r1.9: refused naming --phase_reads (their small models need read phasing);
   with --nophase_reads added the rest is honoured (--norealign_reads: no row is
   realignment-sensitive; partition size, MAPQ, fractions as given).
3. r1.10: --checkpoint_json's flags_for_calling set the thresholds and the window, the
   command line wins over it, a key that is no make_examples flag is an error.
4. --exclude_regions == the same regions written out; --small_model_vaf_context_window_size
   0 (no context features) and an even window (DeepVariant's offsets -W/2..W/2).
Exit 77 (skipped) when the fixtures are absent.

Usage: deepvariant_flags_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

from real_reads import Fixtures, reads_dir

BIN, SRC = sys.argv[1], sys.argv[2]
READS = reads_dir(SRC, "DeepVariant flag checks")

from pyref import Checks  # noqa: E402

check = Checks()
F = Fixtures(READS)
MODEL = os.path.join(SRC, "data", "model.json")
REGION = "chr20:10000000-10010000"


def run(*args, expect=0):
    proc = subprocess.run([BIN] + [str(a) for a in args], capture_output=True, text=True)
    check(proc.returncode == expect, f"{args}: exit {proc.returncode} (wanted {expect}): {proc.stderr.strip()}")
    return proc


def tsv(path):
    with open(path) as fh:
        lines = fh.read().splitlines()
    head = lines[0].split("\t")
    return head, [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def flagfile(path, flags):
    """run_deepvariant's make_examples flags as an absl flag file: one --name=value per line."""
    with open(path, "w") as fh:
        fh.write("# make_examples flags, as run_deepvariant passes them\n")
        for name, value in flags:
            fh.write(f"--{name}\n" if value is True else f"--no{name}\n" if value is False else f"--{name}={value}\n")
    return path


def main():
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        common = [("mode", "calling"), ("ref", F.FASTA), ("reads", F.BAM),
                  ("examples", t("make_examples.tfrecord@2.gz")), ("checkpoint", "/opt/models/wgs"),
                  ("runtime_by_region", t("make_examples_runtime@2.tsv")), ("regions", REGION)]
        small = [("call_small_model_examples", True), ("small_model_indel_gq_threshold", 28),
                 ("small_model_snp_gq_threshold", 20), ("small_model_vaf_context_window_size", 51),
                 ("track_ref_reads", True), ("trained_small_model_path", MODEL)]
        wgs = flagfile(t("wgs.flags"), sorted(common + small))

        # 1. WGS r1.9: same rows and calls as smallcall's own flags.
        p = run("features", "--flagfile=" + wgs, "--output", t("wgs_rows.tsv"))
        # features: the gate's flags are call's, so they are named too.
        check("ignored: --call_small_model_examples --checkpoint --examples --runtime_by_region "
              "--small_model_indel_gq_threshold --small_model_snp_gq_threshold --trained_small_model_path\n" in p.stderr,
              f"features note: {p.stderr}")
        run("features", "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--output", t("own_rows.tsv"),
            "--quiet")
        check(open(t("wgs_rows.tsv")).read() == open(t("own_rows.tsv")).read(), "features: flag file == own flags")
        p = run("call", "--flagfile=" + wgs, "--accepted", t("wgs_acc.tsv"), "--remainder", t("wgs_rem.tsv"),
                "--stats_json", t("wgs.json"))
        check("ignored: --checkpoint --examples --runtime_by_region\n" in p.stderr, f"call note: {p.stderr}")
        run("call", "--model", MODEL, "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--accepted",
            t("own_acc.tsv"), "--remainder", t("own_rem.tsv"), "--quiet")
        check(open(t("wgs_acc.tsv")).read() == open(t("own_acc.tsv")).read() and
              open(t("wgs_rem.tsv")).read() == open(t("own_rem.tsv")).read(), "call: flag file == own flags")
        # The last occurrence wins: a flag after the flag file overrides it.
        run("call", "--flagfile=" + wgs, "--small_model_snp_gq_threshold=-1", "--accepted", t("nosnp.tsv"),
            "--remainder", t("nosnp_rem.tsv"), "--stats_json", t("nosnp.json"), "--quiet")
        check(json.load(open(t("nosnp.json")))["thresholds"]["snp_gq"] == -1, "the command line after the file wins")

        # 2. PacBio / ONT r1.9 special_args.
        pacbio = [("alt_aligned_pileup", "diff_channels"), ("max_reads_per_partition", 600),
                  ("min_mapping_quality", 1), ("parse_sam_aux_fields", True), ("partition_size", 25000),
                  ("phase_reads", True), ("pileup_image_width", 147), ("realign_reads", False),
                  ("sort_by_haplotypes", True), ("track_ref_reads", True), ("vsc_min_fraction_indels", 0.12),
                  ("trim_reads_for_pileup", True)]
        ont = [(k, {"min_mapping_quality": 5, "pileup_image_width": 99}.get(k, v)) for k, v in pacbio] + \
            [("vsc_min_fraction_snps", 0.08)]
        for name, special in (("pacbio", pacbio), ("ont", ont)):
            ff = flagfile(t(f"{name}.flags"), sorted(common + small + special))
            p = run("features", "--flagfile=" + ff, "--output", t(f"{name}.tsv"), expect=2)
            check("DeepVariant flag --phase_reads is not supported: read phasing" in p.stderr and
                  f"{name}.flags:" in p.stderr, f"{name}: {p.stderr}")
            p = run("call", "--flagfile=" + ff, "--accepted", t("x.tsv"), "--remainder", t("y.tsv"), expect=2)
            check("--phase_reads is not supported" in p.stderr, f"{name} call: {p.stderr}")
            p = run("features", "--flagfile=" + ff, "--nophase_reads", "--output", t(f"{name}.tsv"))
            head, rows = tsv(t(f"{name}.tsv"))
            own_flags = ["--max_reads_per_partition", "600", "--min_mapping_quality",
                         dict(special)["min_mapping_quality"], "--partition_size", "25000",
                         "--vsc_min_fraction_indels", "0.12"]
            if name == "ont":
                own_flags += ["--vsc_min_fraction_snps", "0.08"]
            run("features", "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--output", t(f"{name}_own.tsv"),
                "--norealign_reads", "--quiet", *own_flags)
            check(open(t(f"{name}.tsv")).read() == open(t(f"{name}_own.tsv")).read(), f"{name}: flag file == own flags")
            check(rows and all(r["realignment_sensitive"] == "0" for r in rows),
                  f"{name}: --norealign_reads leaves no row realignment-sensitive")
            check({r["region"] for r in rows} == {"chr20:10000000-10010000"}, f"{name}: 25 kb partitions")
            check("--alt_aligned_pileup" in p.stderr and "--sort_by_haplotypes" in p.stderr, f"{name} note")

        # 3. r1.10: flags_for_calling from the model's example_info.json.
        with open(t("model.example_info.json"), "w") as fh:
            json.dump({"version": "1.10.0", "shape": [100, 221, 7], "channels": [1, 2, 3, 4, 5, 6, 19],
                       "flags_for_calling": {"call_small_model_examples": True, "small_model_snp_gq_threshold": 15,
                                             "small_model_indel_gq_threshold": 33,
                                             "small_model_vaf_context_window_size": 51, "track_ref_reads": True,
                                             "trained_small_model_path": MODEL, "pileup_image_width": 221}}, fh)
        p = run("call", "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--checkpoint_json",
                t("model.example_info.json"), "--small_model_indel_gq_threshold", "30", "--accepted", t("j.tsv"),
                "--remainder", t("jr.tsv"), "--stats_json", t("j.json"))
        th = json.load(open(t("j.json")))["thresholds"]
        check((th["snp_gq"], th["indel_gq"]) == (15, 30), f"JSON thresholds under the command line: {th}")
        check("--pileup_image_width" in p.stderr, "JSON's pileup flag named as ignored")
        with open(t("bad.json"), "w") as fh:
            json.dump({"flags_for_calling": {"not_a_flag": 1}}, fh)
        p = run("call", "--reads", F.BAM, "--ref", F.FASTA, "--checkpoint_json", t("bad.json"), "--model", MODEL,
                "--accepted", t("b.tsv"), "--remainder", t("br.tsv"), expect=2)
        check('"not_a_flag" is not a make_examples flag' in p.stderr, f"bad JSON key: {p.stderr}")

        # 4. --exclude_regions and the VAF window.
        run("features", "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--exclude_regions",
            "chr20:10001001-10001500", "--output", t("ex.tsv"), "--quiet")
        run("features", "--reads", F.BAM, "--ref", F.FASTA, "--regions",
            "chr20:10000000-10001000 chr20:10001501-10010000", "--output", t("ex_lit.tsv"), "--quiet")
        _, ex = tsv(t("ex.tsv"))
        _, full = tsv(t("own_rows.tsv"))
        check(open(t("ex.tsv")).read() == open(t("ex_lit.tsv")).read(), "--exclude_regions == the regions written out")
        check(ex and not [r for r in ex if 10001000 <= int(r["start"]) < 10001500] and
              len(ex) < len(full), f"excluded rows: {len(ex)} of {len(full)}")
        head0, w0 = tsv(t("own_rows.tsv"))
        run("features", "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--output", t("w0.tsv"),
            "--small_model_vaf_context_window_size", "0", "--quiet")
        head_w0, rows_w0 = tsv(t("w0.tsv"))
        check(not [h for h in head_w0 if h.startswith("variant_allele_frequency_at_")] and
              len(head_w0) == len(head0) - 51, "window 0: no context features")
        check([{k: r[k] for k in head_w0} for r in w0] == rows_w0, "window 0: the other features unchanged")
        run("features", "--reads", F.BAM, "--ref", F.FASTA, "--regions", REGION, "--output", t("w50.tsv"),
            "--small_model_vaf_context_window_size", "50", "--quiet")
        check(open(t("w50.tsv")).read() == open(t("own_rows.tsv")).read(),
              "window 50: DeepVariant's offsets -25..25, the same 51 features as window 51")
        p = run("features", "--reads", F.BAM, "--ref", F.FASTA, "--output", t("wn.tsv"),
                "--small_model_vaf_context_window_size", "-1", expect=2)
        check("must be >= 0" in p.stderr, f"negative window: {p.stderr}")
        print(f"DeepVariant flag files: WGS rows == own flags ({len(full)} rows), PacBio/ONT refused on --phase_reads "
              f"and honoured without it, JSON flags_for_calling applied under the command line, "
              f"--exclude_regions ({len(ex)} rows), windows 0 and 50")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
