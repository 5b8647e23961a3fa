"""The float64 reference: forward pass, DeepVariant's gate and postprocess GQ, in numpy.
Written from the spec, sharing no code with smallcall."""
import math

import numpy as np


def forward64(layers, x):
    """Dense layers ({kernel, bias, activation}: relu, sigmoid, tanh, softmax or linear) in
    float64 from float32 weights and inputs."""
    h = np.asarray(x, np.float32).astype(np.float64)
    for layer in layers:
        h = h @ np.asarray(layer["kernel"], np.float32).astype(np.float64) + \
            np.asarray(layer["bias"], np.float32).astype(np.float64)
        act = layer["activation"]
        if act == "relu":
            h = np.maximum(h, 0)
        elif act == "sigmoid":
            h = 1 / (1 + np.exp(-h))
        elif act == "tanh":
            h = np.tanh(h)
        elif act == "softmax":
            h = np.exp(h - h.max(axis=1, keepdims=True))
            h /= h.sum(axis=1, keepdims=True)
    return h


def bounded_phred(p, bound):
    return -10.0 * math.log10(1.0 - min(p, bound))


def is_snp(ref, alt):
    alts = alt.split("|")
    return len(ref) == 1 and all(len(a) == 1 for a in alts)


def expected_accept(p64_row, ref, alt, is_multi, snp_t, indel_t, call_multi):
    """True/False, or None when the float64 score is within 0.05 of the threshold."""
    threshold = snp_t if is_snp(ref, alt) else indel_t
    if (is_multi and not call_multi) or threshold < 0:
        return False
    score = bounded_phred(float(p64_row.max()), 1 - 1e-7)
    if abs(score - threshold) <= 0.05:
        return None
    return score >= threshold


def complete_subsets(subsets):
    """True when a candidate's rows (their alt lists) are every singleton and every pair of
    the candidate's alts, each once, as DeepVariant makes them (postprocess refuses others)."""
    alts = []
    for sub in subsets:
        for x in sub:
            if x not in alts:
                alts.append(x)
    got = sorted(tuple(sorted(alts.index(x) for x in sub)) for sub in subsets)
    want = sorted([(i,) for i in range(len(alts))] +
                  [(i, j) for i in range(len(alts)) for j in range(i + 1, len(alts))])
    return got == want


def route_candidates(keys, expects, subsets=None):
    """Whole candidates, as postprocess_variants needs them: the rows of a candidate
    (consecutive rows with the same key: contig, start, ref) are accepted only if every row is,
    and (with `subsets`, each row's alt list) only if they are every alt subset once.
    expects: per row True/False/None (None: too close to call). Returns (routed, members):
    per row the candidate's outcome (False if any row fails, else None if any is undecidable,
    else True) and the row indices of its candidate."""
    members, routed = [], []
    for i, k in enumerate(keys):
        members.append(members[i - 1] if i and keys[i - 1] == k else [])
        members[i].append(i)
    for i in range(len(keys)):
        m = [expects[j] for j in members[i]]
        if subsets is not None and not complete_subsets([subsets[j] for j in members[i]]):
            m.append(False)
        routed.append(False if False in m else None if None in m else True)
    return routed, members


class Checks:
    """Counts checks; `check(cond, message)` records a failure; `report()` prints the
    failures and the closing 'N passed, N failed' line and returns the exit status."""

    def __init__(self):
        self.count = 0
        self.failures = []

    def __call__(self, cond, message):
        self.count += 1
        if not cond:
            self.failures.append(message)
        return cond

    def report(self, limit=30):
        for f in self.failures[:limit]:
            print("FAIL:", f)
        print(f"{self.count - len(self.failures)} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0
