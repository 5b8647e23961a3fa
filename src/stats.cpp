#include "smallcall/stats.hpp"

#include <sys/resource.h>

#include <cstdio>

namespace smallcall {

nlohmann::json stats_to_json(const CallStats& s, const CallOptions& o, const GateThresholds& t) {
  nlohmann::json j;
  j["smallcall_version"] = SMALLCALL_VERSION;
  j["model"] = o.model_path;
  j["input"] = o.source.from_reads() ? o.source.reads : o.source.input;
  j["accepted_path"] = o.accepted;
  j["remainder_path"] = o.remainder;
  j["task"] = o.source.task;
  j["io_threads"] = o.io_threads;
  j["num_shards"] = o.source.num_shards;
  j["sample_name"] = s.sample_name;
  j["feature_names"] = s.feature_names;
  j["thresholds"] = {{"snp_gq", t.snp}, {"indel_gq", t.indel}, {"call_multiallelics", t.call_multiallelics},
                     {"realignment_sensitive_to_remainder", t.realignment_sensitive_to_remainder},
                     {"partition_size", o.source.partition_size}};
  j["rows"] = s.rows;
  j["regions"] = s.regions;
  j["largest_region_rows"] = s.largest_region_rows;
  j["accepted"] = {{"total", s.accepted}, {"snp", s.accepted_snp}, {"indel", s.accepted_indel},
                   {"hom_ref", s.accepted_by_genotype[0]}, {"het", s.accepted_by_genotype[1]},
                   {"hom_alt", s.accepted_by_genotype[2]}};
  j["remainder"] = {{"total", s.remainder}, {"below_threshold", s.below_threshold},
                    {"type_disabled", s.type_disabled}, {"multiallelic_disabled", s.multiallelic_disabled},
                    {"realignment_sensitive", s.realignment_sensitive},
                    {"other_subset_rejected", s.subset_rejected},
                    {"incomplete_candidate", s.incomplete_candidate}};
  if (s.from_reads) j["reads"] = reads_to_json(s.reads, s.candidates, s.realignment_sensitive_candidates);
  j["gate_score_histogram"] = s.gate_score_histogram;
  j["rows_by_type"] = {{"snp", s.rows_snp}, {"indel", s.rows_indel}};
  j["remainder_by_type"] = {{"snp", s.rows_snp - s.accepted_snp}, {"indel", s.rows_indel - s.accepted_indel}};
  j["seconds"] = {{"total", s.seconds_total}, {"setup", s.seconds_setup}, {"read", s.seconds_read}, {"forward", s.seconds_forward},
                  {"gate", s.seconds_gate}, {"write", s.seconds_write}};
  j["rows_per_second"] = s.rows_per_second();
  rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  j["peak_rss_kb"] = usage.ru_maxrss;  // Linux reports kilobytes
  return j;
}

nlohmann::json reads_to_json(const ReadsCounters& r, uint64_t candidates, uint64_t realignment_sensitive) {
  return {{"candidates", candidates},
          {"realignment_sensitive_candidates", realignment_sensitive},
          {"partitions", r.partitions},
          {"reads_seen", r.reads_seen},
          {"reads_filtered", r.reads_filtered},
          {"reads_without_qualities", r.reads_without_qualities},
          {"reads_downsampled", r.reads_downsampled},
          {"reads_used", r.reads_used},
          {"realigner",
           {{"windows", r.realigner.windows},
            {"windows_assembled", r.realigner.windows_assembled},
            {"windows_reference_only", r.realigner.windows_reference_only},
            {"windows_off_contig", r.realigner.windows_off_contig},
            {"windows_given_up", {{"too_long", r.realigner.windows_too_long},
                                  {"no_graph", r.realigner.windows_no_graph},
                                  {"too_many_paths", r.realigner.windows_too_many_paths}}},
            {"reads_realigned", r.realigner.reads_realigned}}}};
}

std::string summary_line(const CallStats& s, const CallOptions& o) {
  char buf[512];
  const std::string task = o.source.num_shards ? "Task " + std::to_string(o.source.task) + "/" +
                                                     std::to_string(o.source.num_shards) + ": "
                                               : "";
  std::snprintf(buf, sizeof buf,
                "%ssmallcall call: %llu rows in %llu regions: %llu accepted (%llu SNP, %llu indel), "
                "%llu to the remainder; %.3f s, %.0f rows/s",
                task.c_str(), static_cast<unsigned long long>(s.rows), static_cast<unsigned long long>(s.regions),
                static_cast<unsigned long long>(s.accepted), static_cast<unsigned long long>(s.accepted_snp),
                static_cast<unsigned long long>(s.accepted_indel), static_cast<unsigned long long>(s.remainder),
                s.seconds_total, s.rows_per_second());
  return buf;
}

}  // namespace smallcall
