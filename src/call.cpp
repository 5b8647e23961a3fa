#include "smallcall/call.hpp"

#include <htslib/hts.h>

#include <chrono>
#include <memory>
#include <vector>

#include "smallcall/engine.hpp"
#include "smallcall/error.hpp"
#include "smallcall/gate.hpp"
#include "smallcall/model.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/progress.hpp"
#include "smallcall/reads_row_reader.hpp"
#include "smallcall/region_grouper.hpp"
#include "smallcall/shards.hpp"
#include "smallcall/stats.hpp"
#include "smallcall/tfrecord_reader.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void check_paths(const CallOptions& o) {
  if (o.accepted == "-" && o.remainder == "-")
    throw UsageError("--accepted and --remainder cannot both be '-' (stdout)");
  if (o.accepted == o.remainder) throw UsageError("--accepted and --remainder name the same file: " + o.accepted);
  if (!o.stats_json.empty() && (o.stats_json == o.accepted || o.stats_json == o.remainder))
    throw UsageError("--stats_json names the same file as an output: " + o.stats_json);
  if (o.stats_json == "-" && (o.accepted == "-" || o.remainder == "-"))
    throw UsageError("--stats_json cannot go to stdout when an output does");
  if (o.input != "-" && (o.input == o.accepted || o.input == o.remainder))
    throw UsageError("an output would overwrite the input: " + o.input);
  if (o.partition_size < 1) throw UsageError("--partition_size must be at least 1");
  if (o.threads < 1) throw UsageError("--threads must be at least 1");
  const FileFormat a = output_kind(o.accepted, "--accepted").format, r = output_kind(o.remainder, "--remainder").format;
  const bool vcf_output = a == FileFormat::kVcf || a == FileFormat::kBcf || r == FileFormat::kVcf || r == FileFormat::kBcf;
  if (o.reads.reads_path.empty() && !o.ref_fasta.empty() && !vcf_output)
    throw UsageError("--ref " + o.ref_fasta + " means nothing here: with --input it names the contigs of VCF outputs, "
                     "and neither output is a VCF");
}

// A row of the candidate being routed, copied out of its tile when the candidate may go on
// in the next tile (only when a region spans tiles).
struct HeldRow {
  CandidateId id;
  std::vector<float> features;
  std::string raw;
  float p[3];
};

}  // namespace

CallStats run_call(const CallOptions& options) {
  const auto t_start = Clock::now();
  // Sharded NAME@N specs become this task's concrete paths.
  const bool from_reads = !options.reads.reads_path.empty();
  if (from_reads && !options.input.empty()) throw UsageError("give either --input or --reads, not both");
  if (!from_reads && options.input.empty()) throw UsageError("one of --input (rows) or --reads (BAM/CRAM) is required");
  const ResolvedShards shards =
      resolve_shards({options.input, options.accepted, options.remainder, options.stats_json}, options.task);
  CallOptions o = options;
  o.input = from_reads ? o.reads.reads_path : shards.paths[0];
  o.reads.ref_path = o.ref_fasta;
  o.reads.task = o.task;
  o.reads.num_shards = shards.num_shards;
  o.accepted = shards.paths[1];
  o.remainder = shards.paths[2];
  o.stats_json = shards.paths[3];
  check_paths(o);
  install_cleanup_signal_handlers();
  set_compression_level(o.compression_level);
  hts_set_log_level(HTS_LOG_OFF);  // our own messages name file and line; no second voice

  const Model model = load_model(o.model_path);
  Engine engine(model, EngineOptions{o.tile_rows, o.threads});
  require_self_test(model, engine);

  GateThresholds thresholds;
  thresholds.snp = o.snp_gq_threshold.value_or(model.gate_snp_gq_threshold.value_or(kDefaultSnpGq));
  thresholds.indel = o.indel_gq_threshold.value_or(model.gate_indel_gq_threshold.value_or(kDefaultIndelGq));
  thresholds.call_multiallelics = o.call_multiallelics;
  thresholds.realignment_sensitive_to_remainder = o.realignment_sensitive_to_remainder;

  std::unique_ptr<RowReader> input;
  ReadsRowReader* reads_reader = nullptr;
  Sample sample;
  if (o.sample_name) sample = {*o.sample_name, true};
  if (from_reads) {
    auto r = std::make_unique<ReadsRowReader>(o.reads, o.counter, model.features, o.sample_name);
    reads_reader = r.get();
    sample = {r->sample_name(), true};
    input = std::move(r);
  } else {
    input = open_row_reader(o.input, model.features, o.small_model_info);
  }
  RowReader& reader = *input;
  // Outputs are created after the input opened cleanly, under temporary names.
  std::unique_ptr<AcceptedWriter> accepted = open_accepted_writer(o.accepted, "--accepted", sample, o.ref_fasta);
  std::unique_ptr<RemainderWriter> remainder =
      open_remainder_writer(o.remainder, "--remainder", reader, model.features, o.ref_fasta,
                            shards.num_shards ? options.remainder : std::string());
  std::unique_ptr<OutputFile> stats_file;
  if (!o.stats_json.empty()) stats_file = std::make_unique<OutputFile>(o.stats_json, Compression::kNone);

  CallStats s;
  s.task = o.task;
  s.num_shards = shards.num_shards;
  s.input_path = o.input;
  s.accepted_path = o.accepted;
  s.remainder_path = o.remainder;
  s.snp_threshold = thresholds.snp;
  s.indel_threshold = thresholds.indel;
  s.call_multiallelics = thresholds.call_multiallelics;
  s.sample_name = sample.name;
  s.feature_names = reader.feature_names_source();
  bool sample_from_rows = sample.fixed;

  TilePrefetcher prefetch(reader, engine.tile_rows(), o.partition_size, model.num_features());
  std::vector<float> probabilities(engine.tile_rows() * 3);
  std::vector<GateDecision> decisions(engine.tile_rows());
  std::vector<HeldRow> held;
  std::vector<GateDecision> held_decisions;
  std::size_t num_held = 0;
  const std::size_t width = static_cast<std::size_t>(model.num_features());

  // One row to its output, once its candidate's decision is final.
  auto emit = [&](const CandidateId& id, const float* features, const std::string& raw, const float* p,
                  const GateDecision& d) {
    ++s.gq_histogram[static_cast<std::size_t>(d.gq)];
    ++(id.is_snp ? s.rows_snp : s.rows_indel);
    if (!sample_from_rows && !id.call_set_name.empty()) {
      s.sample_name = id.call_set_name;  // the sample make_examples named in the candidates
      sample_from_rows = true;
    }
    remainder->observe(id);
    switch (d.outcome) {
      case GateOutcome::kAccepted:
        accepted->write(id, p, d);
        ++s.accepted;
        ++(id.is_snp ? s.accepted_snp : s.accepted_indel);
        ++s.accepted_by_genotype[static_cast<std::size_t>(d.genotype)];
        return;
      case GateOutcome::kBelowThreshold: ++s.below_threshold; break;
      case GateOutcome::kTypeDisabled: ++s.type_disabled; break;
      case GateOutcome::kMultiallelicDisabled: ++s.multiallelic_disabled; break;
      case GateOutcome::kRealignmentSensitive: ++s.realignment_sensitive; break;
      case GateOutcome::kSubsetRejected: ++s.subset_rejected; break;
    }
    remainder->write(id, features, raw);
    ++s.remainder;
  };
  auto hold = [&](RowTile& tile, std::size_t i) {
    if (num_held == held.size()) {
      held.emplace_back();
      held_decisions.emplace_back();
    }
    HeldRow& h = held[num_held];
    h.id = tile.ids[i];
    h.features.assign(tile.row_features(i), tile.row_features(i) + width);
    h.raw = tile.raw_records[i];
    std::copy(&probabilities[3 * i], &probabilities[3 * i] + 3, h.p);
    held_decisions[num_held] = decisions[i];
    ++num_held;
  };
  auto emit_held = [&] {
    route_candidate(held_decisions.data(), num_held);
    for (std::size_t k = 0; k < num_held; ++k)
      emit(held[k].id, held[k].features.data(), held[k].raw, held[k].p, held_decisions[k]);
    num_held = 0;
  };

  Progress progress(!o.quiet, prefetch);
  uint64_t rows_seen = 0;
  while (true) {
    auto t = Clock::now();
    RowTile* next_tile = prefetch.next();  // time spent waiting for input
    s.seconds_read += since(t);
    if (!next_tile) break;
    RowTile& tile = *next_tile;
    rows_seen += tile.size;

    t = Clock::now();
    engine.forward(tile.features.data(), tile.size, probabilities.data());
    s.seconds_forward += since(t);

    t = Clock::now();
    for (std::size_t i = 0; i < tile.size; ++i) decisions[i] = gate_row(&probabilities[3 * i], tile.ids[i], thresholds);
    s.seconds_gate += since(t);

    // Whole candidates: a candidate's rows are decided together, then written.
    t = Clock::now();
    std::size_t i = 0;
    if (num_held) {
      if (!tile.starts_region && same_candidate(held[num_held - 1].id, tile.ids[0]))
        while (i < tile.size && same_candidate(held[num_held - 1].id, tile.ids[i])) hold(tile, i++);
      if (i < tile.size || tile.ends_region) emit_held();
    }
    while (i < tile.size) {
      std::size_t j = i + 1;
      while (j < tile.size && same_candidate(tile.ids[i], tile.ids[j])) ++j;
      if (j == tile.size && !tile.ends_region) {  // the candidate may go on in the next tile
        while (i < j) hold(tile, i++);
        break;
      }
      route_candidate(&decisions[i], j - i);
      for (; i < j; ++i) emit(tile.ids[i], tile.row_features(i), tile.raw_records[i], &probabilities[3 * i], decisions[i]);
    }
    s.seconds_write += since(t);
    progress.update(rows_seen, tile.region_index + 1);
    prefetch.release(next_tile);
  }
  if (num_held) emit_held();
  progress.finish();
  const RegionGrouper& grouper = prefetch.grouper();
  s.rows = grouper.rows();
  s.regions = grouper.regions();
  s.largest_region_rows = grouper.largest_region_rows();
  if (reads_reader) {
    s.from_reads = true;
    s.candidates = reads_reader->candidates();
    s.realignment_sensitive_candidates = reads_reader->realignment_sensitive_candidates();
    s.reads = reads_reader->counters();
  }

  // Nothing is silently dropped: every row read went to exactly one output.
  if (s.rows != s.accepted + s.remainder)
    throw Error(kExitDataError, "internal error: " + std::to_string(s.rows) + " rows read but " +
                                    std::to_string(s.accepted) + " accepted + " + std::to_string(s.remainder) +
                                    " remainder written");

  const auto t = Clock::now();
  accepted->close();
  remainder->close();
  s.seconds_write += since(t);
  s.seconds_total = since(t_start);
  if (stats_file) {
    stats_file->write(stats_to_json(s, o).dump(2) + "\n");
    stats_file->close();
  }
  // Every output closed cleanly: only now do they take their final names.
  accepted->publish();
  remainder->publish();
  if (stats_file) stats_file->publish();
  return s;
}

}  // namespace smallcall
