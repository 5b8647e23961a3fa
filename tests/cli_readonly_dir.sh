#!/usr/bin/env bash
# An output in a read-only directory is a data error (exit 1) that leaves nothing behind.
# Root ignores permission bits, so as root the directory is made immutable (chattr +i);
# where neither works the test reports itself skipped (exit 77), never passed.
set -u
bin=$1 src=$2
dir=$(mktemp -d)
ro="$dir/ro"
mkdir "$ro"
cleanup() { chattr -i "$ro" 2>/dev/null; chmod 755 "$ro" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
chmod 555 "$ro"
if touch "$ro/probe" 2>/dev/null; then
  rm -f "$ro/probe"
  chmod 755 "$ro"
  chattr +i "$ro" 2>/dev/null
  if touch "$ro/probe" 2>/dev/null; then
    echo "cannot make a read-only directory here (root without chattr): skipped"
    exit 77
  fi
fi
"$bin" call --model "$src/data/model.json" --input "$src/data/sample.tsv.gz" \
  --accepted "$dir/acc.tsv" --remainder "$ro/rem.tsv" 2>"$dir/err"
rc=$?
fail=0
[[ $rc -eq 1 ]] || { echo "FAIL: exit $rc, expected 1"; fail=1; }
grep -q "rem.tsv: cannot create output" "$dir/err" || { echo "FAIL: message: $(cat "$dir/err")"; fail=1; }
[[ ! -e "$dir/acc.tsv" && -z "$(ls -A "$ro")" ]] || { echo "FAIL: files left: $(ls -A "$dir" "$ro")"; fail=1; }
cat "$dir/err"
echo "$((1 - fail)) passed, $fail failed"
exit $fail
