#!/usr/bin/env bash
# Installs missing dependencies, builds, and runs `smallcall call` on the shipped sample with
# the shipped default model. Outputs go to build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
out=build/demo
mkdir -p "$out"
echo "== smallcall call on data/sample.tsv.gz with data/model.json" >&2
build/smallcall call \
  --model data/model.json \
  --input data/sample.tsv.gz \
  --accepted "$out/accepted.tsv" \
  --remainder "$out/remainder.tsv.gz" \
  --stats_json "$out/stats.json"
echo
echo "== first accepted calls ($out/accepted.tsv)"
head -6 "$out/accepted.tsv"
echo
echo "== summary ($out/stats.json)"
/usr/bin/python3 - "$out/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
a, r = s["accepted"], s["remainder"]
print(f"rows {s['rows']} in {s['regions']} regions (largest {s['largest_region_rows']} rows)")
print(f"accepted {a['total']}: SNP {a['snp']}, indel {a['indel']}; hom_ref {a['hom_ref']}, het {a['het']}, hom_alt {a['hom_alt']}")
print(f"remainder {r['total']}: below threshold {r['below_threshold']}, type disabled {r['type_disabled']}, "
      f"multi-allelic disabled {r['multiallelic_disabled']}")
print(f"thresholds: SNP GQ {s['thresholds']['snp_gq']}, indel GQ {s['thresholds']['indel_gq']}")
PY
echo
echo "remainder (input lines for the large model): $out/remainder.tsv.gz"
