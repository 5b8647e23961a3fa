"""DeepVariant's 70-feature WGS small-model layout (deepvariant/small_model/make_small_model_examples.py)."""

BASE_FEATURES = [
    "num_reads_supports_ref", "num_reads_supports_alt", "alt_indices_depth", "total_depth",
    "variant_allele_frequency", "alt_indices_variant_allele_frequency",
    "ref_mapping_quality", "alt_mapping_quality", "ref_base_quality", "alt_base_quality",
    "ref_reverse_strand_ratio", "alt_reverse_strand_ratio",
]
VARIANT_FEATURES = [
    "is_snp", "is_insertion", "is_deletion", "insertion_length", "deletion_length",
    "is_multiallelic", "is_multiple_alt_alleles",
]


def vaf_context_features(window=51):
    half = window // 2
    return ([f"variant_allele_frequency_at_minus_{o}" for o in range(half, 0, -1)]
            + [f"variant_allele_frequency_at_plus_{o}" for o in range(0, half + 1)])


WGS_FEATURES = BASE_FEATURES + VARIANT_FEATURES + vaf_context_features(51)
assert len(WGS_FEATURES) == 70
