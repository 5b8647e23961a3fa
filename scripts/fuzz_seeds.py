#!/usr/bin/python3
"""Seed corpora for the structure-aware fuzzers (tests/fuzz: nested, cvo, sidecar) from real
messages: the candidates `smallcall features` computes from the fixture BAMs (make_examples'
calls[0] with DP/AD/VAF) and the Variants TensorFlow wrote in the fixtures' golden TFRecords
(multi-sample calls, genotype likelihoods, info maps). Each inner message is cut out of its
real parent with a small wire-format walker, so the fuzzer starts from real bytes at every depth.

Usage: fuzz_seeds.py CORPUS_DIR ROWS.tfrecord[.gz]... [--golden FILE.tfrecord]... [--sidecar FILE]...
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfpy  # noqa: E402


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def fields(b):
    """(field, wire, value bytes or int) of a message, in order."""
    i, out = 0, []
    while i < len(b):
        tag, i = varint(b, i)
        f, w = tag >> 3, tag & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 1:
            v, i = b[i:i + 8], i + 8
        elif w == 5:
            v, i = b[i:i + 4], i + 4
        else:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        out.append((f, w, v))
    return out


def sub(b, field):
    return [v for f, w, v in fields(b) if f == field and w == 2]


def main():
    corpus = sys.argv[1]
    rows, golden, sidecars = [], [], []
    args = iter(sys.argv[2:])
    for a in args:
        if a == "--golden":
            golden.append(next(args))
        elif a == "--sidecar":
            sidecars.append(next(args))
        else:
            rows.append(a)
    for d in ("nested", "cvo", "sidecar"):
        os.makedirs(os.path.join(corpus, d), exist_ok=True)
    seeds = {d: set() for d in ("nested", "cvo", "sidecar")}
    variants, indices, features = [], [], []
    for path in rows:
        for payload in tfpy.read_tfrecords(path):
            for features_msg in sub(payload, 1):
                for entry in sub(features_msg, 1):
                    key = (sub(entry, 1) or [b""])[0]
                    value = (sub(entry, 2) or [b""])[0]
                    features.append(value)
                    if key == b"variant/encoded":
                        variants.extend(sub(sub(value, 1)[0], 1))
                    if key == b"alt_allele_indices/encoded":
                        indices.extend(sub(sub(value, 1)[0], 1))
    for path in golden:
        variants.extend(tfpy.read_tfrecords(path))
    for v in variants[:200]:
        seeds["nested"].add(b"\x00" + v)
        for call in sub(v, 11)[:2]:
            seeds["nested"].add(b"\x01" + call)
            for entry in sub(call, 2):
                seeds["nested"].add(b"\x02" + entry)
                for lst in sub(entry, 2):
                    seeds["nested"].add(b"\x03" + lst)
                    for value in sub(lst, 1):
                        seeds["nested"].add(b"\x04" + value)
    for ind in indices[:50]:
        seeds["nested"].add(b"\x05" + ind)
    for f in features[:100]:
        seeds["nested"].add(b"\x06" + f)
    for k, v in enumerate(variants[:100]):
        ind = indices[k % len(indices)] if indices else b"\x0a\x01\x00"
        seeds["cvo"].add(bytes([k & 1]) + struct.pack("<3f", 0.1, 0.2, 0.7) + bytes([len(ind)]) + ind + v)
    for path in sidecars:
        with open(path, "rb") as fh:
            seeds["sidecar"].add(fh.read())
    seeds["sidecar"].add(b'{"version": "1.10.0", "shape": 2, "model_features": ["a", "b"], "config": {"x": [1, 2]}}')
    for d, items in seeds.items():
        for k, s in enumerate(sorted(items)):
            with open(os.path.join(corpus, d, f"seed{k:04d}"), "wb") as fh:
                fh.write(s)
        print(f"fuzz seeds: {d}: {len(items)}")


if __name__ == "__main__":
    main()
