#!/usr/bin/env bash
# Installs smallcall's build and test dependencies from Debian 12 packages when missing.
set -euo pipefail
packages=(cmake g++ make pkg-config libcli11-dev libhts-dev libssw-dev nlohmann-json3-dev libdnnl-dev
          ocl-icd-opencl-dev opencl-c-headers catch2 zlib1g-dev python3 python3-numpy python3-protobuf python3-h5py python3-matplotlib bcftools samtools python3-pysam parallel snakemake)
# scripts/fuzz.sh also needs clang and libFuzzer's runtime.
[[ "${1:-}" == "--fuzz" ]] && packages+=(clang libclang-rt-14-dev)
# scripts/bench.sh also runs the PyTorch and numpy peers, on OpenBLAS (Debian's default BLAS
# is the slow reference one; a fair peer gets the fast one).
[[ "${1:-}" == "--bench" ]] && packages+=(python3-torch libopenblas0-pthread)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
