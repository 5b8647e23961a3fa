#include "smallcall/deepvariant_flags.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>

namespace smallcall {

namespace {

constexpr DvFlagKind kI = DvFlagKind::kIgnored, kD = DvFlagKind::kDefaultOnly, kR = DvFlagKind::kRealigner;

constexpr const char* kPileup = "it changes only the large model's pileup images";
constexpr const char* kOperational = "operational (files, logging, streaming, runtime) for make_examples itself";
constexpr const char* kGvcf = "it changes only make_examples' gVCF records";
constexpr const char* kTraining = "training mode only; smallcall runs as --mode calling";
constexpr const char* kLogging = "absl logging/debugging";
constexpr const char* kRealign = "this setting of DeepVariant's realigner is not implemented in smallcall's";

// By name (roughly alphabetical; looked up by a linear search, on parsing only).
constexpr DvFlag kFlags[] = {
    {"add_hp_channel", true, "false", kI, kPileup},
    {"add_supporting_other_alt_color", true, "false", kI, kPileup},
    {"alsologtostderr", true, "false", kI, kLogging},
    {"aln_error_rate", false, "0.01", kI, "unused by DeepVariant's fast pass aligner"},
    {"aln_k", false, "23", kI, "unused by DeepVariant's fast pass aligner"},
    {"alt_aligned_pileup", false, "none", kI, kPileup},
    {"assign_phase_from_normal", true, "false", kD, "DeepSomatic phasing is not computed"},
    {"aux_fields_to_keep", false, "", kI, kPileup},
    {"candidate_positions", false, "", kD, "candidate-position sharding (candidate_sweep) is not implemented"},
    {"candidates", false, "", kI, kOperational},
    {"channel_list", false, "", kI, kPileup},
    {"channels", false, "", kI, kPileup},
    {"checkpoint", false, "", kI, "the large model's checkpoint"},
    {"confident_regions", false, "", kI, kTraining},
    {"create_complex_alleles", true, "false", kD, "complex alleles are not generated"},
    {"customized_classes_labeler_classes_list", false, "", kI, kTraining},
    {"customized_classes_labeler_info_field_name", false, "", kI, kTraining},
    {"denovo_regions", false, "", kI, kTraining},
    {"deterministic_serialization", true, "false", kI, kOperational},
    {"discard_non_dna_regions", true, "false", kD, "discarding long N regions is not implemented"},
    {"downsample_classes", false, "", kI, kTraining},
    {"downsample_fraction", false, "0", kD, "read downsampling is not implemented (only max_reads_per_partition)"},
    {"emit_realigned_reads", true, "false", kI, kOperational},
    {"enable_joint_realignment", true, "false", kR, kRealign},
    {"enable_methylation_aware_phasing", true, "false", kD, "methylation-aware phasing is not computed"},
    {"enable_methylation_calling", true, "false", kD, "methylation calling is not computed"},
    {"enable_strict_insertion_filter", true, "false", kR, kRealign},
    {"examples", false, "", kI, "smallcall writes --accepted and --remainder instead of pileup examples"},
    {"exclude_contigs_for_methylation_phasing", false, "chrX chrY", kI, "used only with methylation-aware phasing"},
    {"exclude_variants_af_threshold", false, "0.05", kI, "used only with --exclude_variants_vcf_filename"},
    {"exclude_variants_vcf_filename", false, "", kD, "excluding population variants is not implemented"},
    {"filter_low_vaf_candidates", true, "false", kD, "the low-VAF candidate filter is not implemented"},
    {"gvcf", false, "", kI, "smallcall writes no gVCF: the importer pass writes it (README, DeepVariant pipeline)"},
    {"gvcf_gq_binsize", false, "5", kI, kGvcf},
    {"haploid_contigs", false, "", kI,
     "in make_examples it changes only gVCF records (postprocess_variants applies it to genotypes; smallcall's "
     "VCF does not)"},
    {"hp_tag_for_assembly_polishing", false, "0", kI, kPileup},
    {"hts_block_size", false, "134217728", kI, kOperational},
    {"include_med_dp", true, "false", kI, kGvcf},
    {"keep_legacy_allele_counter_behavior", true, "false", kD, "the legacy allele counter is not implemented"},
    {"labeler_algorithm", false, "haplotype_labeler", kI, kTraining},
    {"log_dir", false, "", kI, kLogging},
    {"logger_levels", false, "", kI, kLogging},
    {"logging_every_n_candidates", false, "2000", kI, kOperational},
    {"logtostderr", true, "false", kI, kLogging},
    {"low_vaf_max_base_quality", false, "30", kI, "used only with --filter_low_vaf_candidates"},
    {"low_vaf_max_mapping_quality", false, "30", kI, "used only with --filter_low_vaf_candidates"},
    {"low_vaf_threshold", false, "0.05", kI, "used only with --filter_low_vaf_candidates"},
    {"max_reads_for_dynamic_bases_per_region", false, "0", kD, "dynamic per-region base limits are not implemented"},
    {"mean_coverage_per_sample", false, "", kI, kPileup},
    {"methylation_calling_threshold", false, "0.5", kI, "used only with methylation calling"},
    {"min_alleles_to_phase", false, "1", kI, "used only with --phase_reads"},
    {"mode", false, "calling", DvFlagKind::kMustBe, "smallcall computes calling-mode candidates only"},
    {"multi_allelic_mode", false, "", kI, kPileup},
    {"non_uniform_downsampling_threshold", false, "3", kI, "used only with --use_non_uniform_downsampling"},
    {"normalize_reads", true, "false", kD, "left-aligning indels in reads is not implemented"},
    {"only_check_args", true, "false", kD, "smallcall has no check-only mode"},
    {"output_debug_info", true, "false", kI, kOperational},
    {"output_local_read_phasing", false, "", kI, kOperational},
    {"output_phase_info", true, "false", kI, kOperational},
    {"output_phasing_error_stats", false, "", kI, kOperational},
    {"output_sitelist", true, "false", kI, kOperational},
    {"p_error", false, "0.001", kI, kGvcf},
    {"par_regions_bed", false, "", kI,
     "in make_examples it changes only gVCF records (postprocess_variants applies it to genotypes; smallcall's "
     "VCF does not)"},
    {"parse_sam_aux_fields", true, "false", kI, kPileup},
    {"pdb", true, "false", kI, kLogging},
    {"pdb_post_mortem", true, "false", kI, kLogging},
    {"phase_max_candidates", false, "5000", kI, "used only with --phase_reads"},
    {"phase_reads", true, "false", kD,
     "read phasing (the haplotype features of the 106-feature PacBio/ONT small models) is not computed"},
    {"pileup_image_height", false, "0", kI, kPileup},
    {"pileup_image_width", false, "0", kI, kPileup},
    {"population_vcfs", false, "", kI, kPileup},
    {"profile_file", false, "", kI, kLogging},
    {"proposed_variants", false, "", kD,
     "smallcall finds candidates itself (very_sensitive_caller); --proposed_variants belongs to the importer pass"},
    {"realigner_diagnostics", false, "", kI, kOperational},
    {"reverse_haplotypes", true, "false", kI, kPileup},
    {"run_with_pdb", true, "false", kI, kLogging},
    {"run_with_profiling", true, "false", kI, kLogging},
    {"runtime_by_region", false, "", kI, kOperational},
    {"sample_mean_coverage_on_calling_regions", true, "false", kI, kPileup},
    {"select_variant_types", false, "", kD, "selecting variant types is not implemented"},
    {"sequencing_type", false, "", kI, kPileup},
    {"shm_buffer_size", false, "10485760", kI, kOperational},
    {"shm_prefix", false, "", kI, kOperational},
    {"showprefixforinfo", true, "true", kI, kLogging},
    {"skip_pileup_image_generation", true, "false", kD, kTraining},
    {"small_model_emit_all_candidates", true, "false", kD,
     "sending every candidate to both models is a GQ-threshold experiment (use smallcall sweep)"},
    {"sort_by_alt_allele_support", true, "false", kI, kPileup},
    {"sort_by_haplotypes", true, "false", kI, kPileup},
    {"split_skip_reads", true, "false", kR, kRealign},
    {"stderrthreshold", false, "", kI, kLogging},
    {"stream_examples", true, "false", kI, kOperational},
    {"training_random_emit_ref_sites", false, "0", kI, kTraining},
    {"trim_reads_for_pileup", true, "false", kI, kPileup},
    {"truth_variants", false, "", kI, kTraining},
    {"types_to_alt_align", false, "indels", kI, kPileup},
    {"use_allele_frequency", true, "false", kI, kPileup},
    {"use_cprofile_for_profiling", true, "true", kI, kLogging},
    {"use_fast_pass_aligner", true, "true", kR, kRealign},
    {"use_non_uniform_downsampling", true, "false", kD, "non-uniform downsampling is not implemented"},
    {"use_original_quality_scores", true, "false", kD, "base qualities from the OQ tag are not read"},
    {"use_ref_for_cram", true, "true", kD, "smallcall always decodes CRAM with --ref"},
    {"use_rejected_alleles", true, "false", kI, kPileup},
    {"v", false, "", kI, kLogging},
    {"variant_caller", false, "very_sensitive_caller", kD,
     "smallcall's candidates are very_sensitive_caller's (vcf_candidate_importer belongs to the importer pass)"},
    {"verbosity", false, "", kI, kLogging},
    {"vsc_max_fraction_indels_for_non_target_sample", false, "0", kD, "multi-sample calling is not implemented"},
    {"vsc_max_fraction_snps_for_non_target_sample", false, "0", kD, "multi-sample calling is not implemented"},
    {"vsc_min_fraction_multiplier", false, "1", kD, "multi-sample calling is not implemented"},
    {"vsc_min_indel_fraction_for_large_indels", false, "0", kD, "size-dependent indel fractions are not implemented"},
    {"vsc_min_indel_fraction_for_small_indels", false, "0", kD, "size-dependent indel fractions are not implemented"},
    {"vsc_small_indel_threshold", false, "0", kD, "size-dependent indel fractions are not implemented"},
    {"write_run_info", true, "false", kI, kOperational},
    {"write_small_model_examples", true, "false", kD, kTraining},
    {"ws_window_selector_model", false, "", kR, kRealign},
};

constexpr const char* kGate = "features computes rows; the gate is smallcall call's";
constexpr DvFlag kGateFlags[] = {
    {"call_small_model_examples", true, "true", kI, kGate},
    {"small_model_call_multiallelics", true, "true", kI, kGate},
    {"small_model_indel_gq_threshold", false, "0", kI, kGate},
    {"small_model_inference_batch_size", false, "128", kI, kGate},
    {"small_model_snp_gq_threshold", false, "0", kI, kGate},
    {"trained_small_model_path", false, "", kI, kGate},
};

template <std::size_t N>
const DvFlag* find_in(const DvFlag (&table)[N], std::string_view name) {
  const auto it = std::find_if(std::begin(table), std::end(table), [&](const DvFlag& f) { return name == f.name; });
  return it != std::end(table) ? it : nullptr;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const DvFlag* find_dv_flag(std::string_view name) { return find_in(kFlags, name); }
const DvFlag* find_dv_gate_flag(std::string_view name) { return find_in(kGateFlags, name); }

std::vector<const DvFlag*> dv_flags() {
  std::vector<const DvFlag*> out;
  for (const DvFlag& f : kFlags) out.push_back(&f);
  return out;
}

bool dv_value_matches(const DvFlag& flag, const std::string& value) {
  const std::string v = lower(value), want = lower(flag.value);
  if (flag.boolean) {
    const bool t = v == "true" || v == "t" || v == "1", f = v == "false" || v == "f" || v == "0";
    return want == "true" ? t : f;
  }
  if (v == want) return true;
  if (want.empty()) return v == "none" || v == "[]";
  // Numbers compare as numbers ("0.0" is "0").
  char* end_a = nullptr;
  char* end_b = nullptr;
  const double a = std::strtod(v.c_str(), &end_a), b = std::strtod(want.c_str(), &end_b);
  return !v.empty() && !want.empty() && *end_a == 0 && *end_b == 0 && a == b;
}

}  // namespace smallcall
