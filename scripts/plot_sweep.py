#!/usr/bin/python3
"""Draws `smallcall sweep --json` output: accepted fraction and genotype agreement vs GQ
threshold, SNPs and indels. Usage: plot_sweep.py SWEEP.json OUT.png [TITLE]"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    data = json.load(open(sys.argv[1]))
    title = sys.argv[3] if len(sys.argv) > 3 else "smallcall sweep"
    t = data["thresholds"]
    labelled = data["labelled_rows"] > 0
    fig, axes = plt.subplots(1, 2 if labelled else 1, figsize=(11 if labelled else 6, 4.2), squeeze=False)
    ax = axes[0][0]
    for kind, color in (("snp", "tab:blue"), ("indel", "tab:orange")):
        ax.plot(t, [100 * f for f in data[kind]["accepted_fraction"]], color=color, label=f"{kind.upper()} ({data[kind]['rows']} rows)")
    held = data.get("held_thresholds", {"snp_gq": 20, "indel_gq": 28})
    marks = [(held["snp_gq"], ":"), (held["indel_gq"], "--")]
    for gq, style in marks:
        if gq >= 0:
            ax.axvline(gq, color="grey", linestyle=style, linewidth=1)
    ax.set_xlabel("GQ threshold")
    ax.set_ylabel("rows accepted by the small model (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend()
    if labelled:
        ax = axes[0][1]
        for kind, color in (("snp", "tab:blue"), ("indel", "tab:orange")):
            agreement = [100 * a if a is not None else float("nan") for a in data[kind]["agreement"]]
            ax.plot(t, agreement, color=color, label=kind.upper())
        for gq, style in marks:
            if gq >= 0:
                ax.axvline(gq, color="grey", linestyle=style, linewidth=1)
        ax.set_xlabel("GQ threshold")
        ax.set_ylabel("genotype agreement among accepted rows (%)")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110, format="png")


if __name__ == "__main__":
    main()
