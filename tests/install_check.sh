#!/usr/bin/env bash
# `cmake --install` into a temporary prefix gives a working tool: PREFIX/bin/smallcall with
# --version, `call`, and `sweep --plot` finding PREFIX/share/smallcall/plot_sweep.py, run from
# outside the build and source trees.
# Usage: install_check.sh CMAKE_COMMAND BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
cmake_cmd=$1 build=$2 src=$3 version=$4
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
"$cmake_cmd" --install "$build" --prefix "$prefix" > "$work/install.log"
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$prefix/bin/smallcall" ] || fail "no $prefix/bin/smallcall"
[ -f "$prefix/share/smallcall/plot_sweep.py" ] || fail "no share/smallcall/plot_sweep.py"
cp "$src/data/model.json" "$src/data/sample.tsv.gz" "$work/"
cd "$work"
got=$("$prefix/bin/smallcall" --version)
[ "$got" = "smallcall $version" ] || fail "--version printed '$got', expected 'smallcall $version'"
"$prefix/bin/smallcall" call --model model.json --input sample.tsv.gz --accepted acc.vcf.gz \
  --remainder rem.tsv --quiet
[ -s acc.vcf.gz ] && [ -s acc.vcf.gz.tbi ] && [ -s rem.tsv ] || fail "call outputs missing"
"$prefix/bin/smallcall" sweep --model model.json --input sample.tsv.gz --plot sweep.png > sweep.txt
[ "$(head -c 8 sweep.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "sweep --plot wrote no PNG"
# The plot script is found through the install layout, not the build tree: without it, a
# clear error.
mv "$prefix/share/smallcall/plot_sweep.py" "$work/moved.py"
if "$prefix/bin/smallcall" sweep --model model.json --input sample.tsv.gz --plot s2.png > /dev/null 2> err.txt; then
  fail "sweep --plot succeeded without the plot script"
fi
grep -q "plot_sweep.py is neither beside" err.txt || fail "unclear error: $(cat err.txt)"
echo "installed into a temporary prefix: --version, call (VCF + index), sweep --plot from PREFIX/share/smallcall"
