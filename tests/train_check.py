#!/usr/bin/python3
"""A tiny training run: scripts/train_smallcall.py on `smallcall simulate` rows, from TSV and
from TFRecord (the same rows give the same model), deterministic for a seed, and the result
loads in smallcall with its self test passing and sensible held-out accuracy.

Usage: train_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
TRAIN = os.path.join(SRC, "scripts", "train_smallcall.py")

from pyref import Checks  # noqa: E402

check = Checks()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        for out in ("rows.tsv.gz", "rows.tfrecord.gz"):
            subprocess.run([BIN, "simulate", "--output", t(out), "--rows", "20000", "--seed", "3", "--quiet"], check=True)
        models = []
        for name, rows in (("a", "rows.tsv.gz"), ("b", "rows.tsv.gz"), ("c", "rows.tfrecord.gz")):
            proc = subprocess.run(["/usr/bin/python3", TRAIN, t(rows), "--output", t(f"{name}.json"), "--hidden", "16",
                                   "--epochs", "2", "--seed", "4"], capture_output=True, text=True)
            check(proc.returncode == 0, f"train {name}: {proc.stderr}")
            with open(t(f"{name}.json")) as fh:
                models.append(json.load(fh))
        check(models[0] == models[1], "training is not deterministic for a fixed seed")
        check(models[0]["layers"] == models[2]["layers"], "TSV and TFRecord of the same rows trained different models")
        held = models[0]["training"]["held_out"]
        check(held["rows"] == 4000 and held["accuracy"] > 0.95, f"held-out metrics {held}")
        check(held["accepted_accuracy"] > 0.99 and 0.3 < held["accepted_fraction"] <= 1, f"accepted metrics {held}")
        proc = subprocess.run([BIN, "inspect", "--json", t("a.json")], capture_output=True, text=True)
        info = json.loads(proc.stdout) if proc.returncode == 0 else {}
        check(info.get("self_test", {}).get("passed") is True, f"trained model self test: {proc.stderr}")
        check([l["out"] for l in info.get("layers", [])] == [16, 3], f"layers {info.get('layers')}")
        print(f"tiny training run: held-out accuracy {held['accuracy']:.4f}, accepted {held['accepted_fraction']:.3f} "
              f"with agreement {held['accepted_accuracy']:.4f}")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
