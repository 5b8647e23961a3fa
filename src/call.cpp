#include "smallcall/call.hpp"

#include <htslib/hts.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <regex>
#include <vector>

#include "smallcall/cpus.hpp"
#include "smallcall/engine.hpp"
#include "smallcall/error.hpp"
#include "smallcall/gate.hpp"
#include "smallcall/model.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/progress.hpp"
#include "smallcall/reads_row_reader.hpp"
#include "smallcall/row_reader.hpp"
#include "smallcall/shards.hpp"
#include "smallcall/stats.hpp"
#include "smallcall/tile_pipeline.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void warn_for_deepvariant(const CallOptions& o, FileFormat accepted, FileFormat remainder);

// The options with every NAME@N spec resolved to this task's paths, checked.
CallOptions resolve(const CallOptions& options) {
  const SourceOptions& src = options.source;
  if (src.from_reads() && !src.input.empty()) throw UsageError("give either --input or --reads, not both");
  if (!src.from_reads() && src.input.empty()) throw UsageError("one of --input (rows) or --reads (BAM/CRAM) is required");
  const ResolvedShards shards =
      resolve_shards({src.input, options.accepted, options.remainder, options.stats_json}, src.task);
  CallOptions o = options;
  o.source.input = shards.paths[0];
  o.source.num_shards = shards.num_shards;
  o.accepted = shards.paths[1];
  o.remainder = shards.paths[2];
  o.stats_json = shards.paths[3];
  const std::string& input = src.from_reads() ? src.reads : o.source.input;
  if (o.accepted == "-" && o.remainder == "-") throw UsageError("--accepted and --remainder cannot both be '-' (stdout)");
  if (o.accepted == o.remainder) throw UsageError("--accepted and --remainder name the same file: " + o.accepted);
  if (!o.stats_json.empty() && (o.stats_json == o.accepted || o.stats_json == o.remainder))
    throw UsageError("--stats_json names the same file as an output: " + o.stats_json);
  if (o.stats_json == "-" && (o.accepted == "-" || o.remainder == "-"))
    throw UsageError("--stats_json cannot go to stdout when an output does");
  if (input != "-" && (input == o.accepted || input == o.remainder))
    throw UsageError("an output would overwrite the input: " + input);
  if (o.source.partition_size < 1) throw UsageError("--partition_size must be at least 1");
  if (o.threads < 1) throw UsageError("--threads must be at least 1");
  o.io_threads = resolve_io_threads(options.io_threads);
  const FileFormat a = output_kind(o.accepted, "--accepted").format, r = output_kind(o.remainder, "--remainder").format;
  if (o.postprocess_flags_given && a != FileFormat::kVcf && a != FileFormat::kBcf)
    throw UsageError("--multiallelic_mode, --qual_filter, --multi_allelic_qual_filter and --cnn_homref_call_min_gq "
                     "shape the accepted VCF; --accepted " + o.accepted + " is not a VCF (postprocess_variants applies "
                     "them to CVOs)");
  const bool vcf_output = a == FileFormat::kVcf || a == FileFormat::kBcf || r == FileFormat::kVcf || r == FileFormat::kBcf;
  if (!src.from_reads() && !src.ref.empty() && !vcf_output)
    throw UsageError("--ref " + src.ref + " means nothing here: with --input it names the contigs of VCF outputs, "
                     "and neither output is a VCF");
  warn_for_deepvariant(o, a, r);
  return o;
}

// Outputs DeepVariant's tools will read, named or made so they cannot: a warning each
// (deepvariant-pipeline-contract §2.1, §1.2).
void warn_for_deepvariant(const CallOptions& o, FileFormat accepted, FileFormat remainder) {
  if (accepted == FileFormat::kTfRecord && o.accepted != "/dev/null") {
    static const std::regex sharded(R"(^(.*)-\d{5,}-of-(\d{5,})\.tfrecord\.gz$)");
    std::smatch m;
    if (!std::regex_match(o.accepted, m, sharded))
      std::cerr << "smallcall: warning: --accepted " << o.accepted
                << ": postprocess_variants --small_model_cvo_records reads only GZIP CVO shards named "
                   "NAME-0000i-of-0000N.tfrecord.gz (it resolves NAME@N.tfrecord.gz; a lone NAME.tfrecord.gz fails): "
                   "name it NAME-00000-of-00001.tfrecord.gz (or NAME@N.tfrecord.gz with --task) and pass "
                   "postprocess_variants NAME@N.tfrecord.gz\n";
  }
  if ((remainder == FileFormat::kVcf || remainder == FileFormat::kBcf) && o.source.ref.empty())
    std::cerr << "smallcall: warning: --remainder " << o.remainder
              << " without --ref: the sites VCF has no contig lengths and its REF alleles are not checked against "
                 "the reference (make_examples' candidate importer stops on a REF that differs)\n";
}

// A row of the candidate being routed, copied out of its tile when the candidate may go on
// in the next tile (only when a region spans tiles).
struct HeldRow {
  Row row;
  std::vector<float> features;
  std::string raw;
  float p[3];
  GateDecision decision;
};

// Whole candidates to their outputs: rows are decided together per candidate, then written,
// in input order, with the counts.
class Router {
 public:
  Router(AcceptedWriter& accepted, RowWriter& remainder, CallStats& stats, bool sample_known, int width)
      : accepted_(accepted), remainder_(remainder), s_(stats), sample_known_(sample_known), width_(width) {}

  // The rows of a tile with their probabilities and decisions.
  void route(RowTile& tile, const float* p, GateDecision* d) {
    std::size_t i = 0;
    if (num_held_) {
      if (!tile.starts_region && same_candidate(held_[num_held_ - 1].row, tile.rows[0]))
        while (i < tile.size && same_candidate(held_[num_held_ - 1].row, tile.rows[i])) hold(tile, i++, p, d);
      if (i < tile.size || tile.ends_region) emit_held();
    }
    while (i < tile.size) {
      std::size_t j = i + 1;
      while (j < tile.size && same_candidate(tile.rows[i], tile.rows[j])) ++j;
      if (j == tile.size && !tile.ends_region) {  // the candidate may go on in the next tile
        while (i < j) hold(tile, i++, p, d);
        break;
      }
      route_candidate(d + i, j - i, complete(&tile.rows[i], j - i));
      for (; i < j; ++i) emit(tile.rows[i], tile.row_features(i), tile.raw_records[i], p + 3 * i, d[i]);
    }
  }

  void finish() {
    if (num_held_) emit_held();
  }

 private:
  void hold(RowTile& tile, std::size_t i, const float* p, const GateDecision* d) {
    if (num_held_ == held_.size()) held_.emplace_back();
    HeldRow& h = held_[num_held_++];
    h.row = tile.rows[i];
    h.features.assign(tile.row_features(i), tile.row_features(i) + width_);
    h.raw = tile.raw_records[i];
    std::copy(p + 3 * i, p + 3 * i + 3, h.p);
    h.decision = d[i];
  }

  // Whether n consecutive rows are a whole candidate (every subset once).
  bool complete(const Row* rows, std::size_t n) {
    if (n == 1) return SubsetCheck::complete_alone(rows[0]);
    check_.clear();
    for (std::size_t k = 0; k < n; ++k) check_.add(rows[k]);
    return check_.complete();
  }

  void emit_held() {
    decisions_.clear();
    check_.clear();
    for (std::size_t k = 0; k < num_held_; ++k) {
      decisions_.push_back(held_[k].decision);
      check_.add(held_[k].row);
    }
    route_candidate(decisions_.data(), num_held_, num_held_ == 1 ? SubsetCheck::complete_alone(held_[0].row)
                                                                  : check_.complete());
    for (std::size_t k = 0; k < num_held_; ++k)
      emit(held_[k].row, held_[k].features.data(), held_[k].raw, held_[k].p, decisions_[k]);
    num_held_ = 0;
  }

  // One row to its output, once its candidate's decision is final.
  void emit(const Row& row, const float* features, const std::string& raw, const float* p, const GateDecision& d) {
    ++s_.gate_score_histogram[static_cast<std::size_t>(std::min(d.score, double{kMaxGateScore}))];
    ++(row.is_snp ? s_.rows_snp : s_.rows_indel);
    if (!sample_known_ && row.has_candidate && !row.candidate.sample.empty()) {
      s_.sample_name = row.candidate.sample;  // the sample make_examples named in the candidates
      sample_known_ = true;
    }
    remainder_.observe(row);
    switch (d.outcome) {
      case GateOutcome::kAccepted:
        accepted_.write(row, p, d);
        ++s_.accepted;
        ++(row.is_snp ? s_.accepted_snp : s_.accepted_indel);
        ++s_.accepted_by_genotype[static_cast<std::size_t>(d.genotype)];
        return;
      case GateOutcome::kBelowThreshold: ++s_.below_threshold; break;
      case GateOutcome::kTypeDisabled: ++s_.type_disabled; break;
      case GateOutcome::kMultiallelicDisabled: ++s_.multiallelic_disabled; break;
      case GateOutcome::kRealignmentSensitive: ++s_.realignment_sensitive; break;
      case GateOutcome::kSubsetRejected: ++s_.subset_rejected; break;
      case GateOutcome::kIncompleteCandidate: ++s_.incomplete_candidate; break;
    }
    remainder_.write(row, features, raw);
    ++s_.remainder;
  }

  AcceptedWriter& accepted_;
  RowWriter& remainder_;
  CallStats& s_;
  bool sample_known_;
  int width_;
  std::vector<HeldRow> held_;
  std::size_t num_held_ = 0;
  std::vector<GateDecision> decisions_;
  SubsetCheck check_;
};

}  // namespace

CallStats run_call(const CallOptions& options) {
  const auto t_start = Clock::now();
  const CallOptions o = resolve(options);
  install_cleanup_signal_handlers();
  hts_set_log_level(HTS_LOG_OFF);  // our own messages name file and line; no second voice

  // The model, its engine and the gate.
  const Model model = load_model(o.model_path);
  Engine engine(model, EngineOptions{o.tile_rows, o.threads});
  require_self_test(model, engine);
  const GateThresholds thresholds = gate_thresholds(o.gate, model.gate_snp_gq_threshold, model.gate_indel_gq_threshold);

  // The input, then the outputs under temporary names.
  std::unique_ptr<RowReader> reader;
  ReadsRowReader* reads = nullptr;
  Sample sample;
  if (o.source.sample_name) sample = {*o.source.sample_name, true};
  if (o.source.from_reads()) {
    auto r = std::make_unique<ReadsRowReader>(o.source, model.features);
    reads = r.get();
    sample.name = r->sample_name();
    reader = std::move(r);
  } else {
    reader = open_row_reader(o.source.input, model.features, o.source.small_model_info);
  }
  const auto accepted =
      open_accepted_writer({o.accepted, "--accepted", o.compression_level, o.io_threads, o.source.ref, "", o.postprocess, reader.get()},
                           sample);
  const auto remainder = open_row_writer(
      {o.remainder, "--remainder", o.compression_level, o.io_threads, o.source.ref, o.source.num_shards ? options.remainder : "", {}, nullptr},
      *reader, model.features);
  std::unique_ptr<OutputFile> stats_file;
  if (!o.stats_json.empty()) stats_file = std::make_unique<OutputFile>(o.stats_json, Compression::kNone);

  // The loop: tiles of one region each -> forward pass (this thread) -> gate -> whole
  // candidates out (the pipeline's finisher: another thread, or this one with --io_threads 0).
  CallStats s;
  s.sample_name = sample.name;
  s.feature_names = reader->feature_names_source();
  std::vector<GateDecision> decisions(engine.tile_rows());
  Router router(*accepted, *remainder, s, sample.replace || o.source.from_reads(), model.num_features());
  TilePipeline pipeline(*reader, engine.tile_rows(), o.source.partition_size, model.num_features(), o.io_threads > 0,
                        [&](RowTile& tile) {
                          auto t = Clock::now();
                          for (std::size_t i = 0; i < tile.size; ++i)
                            decisions[i] = gate_row(&tile.probabilities[3 * i], tile.rows[i], thresholds);
                          s.seconds_gate += since(t);
                          t = Clock::now();
                          router.route(tile, tile.probabilities.data(), decisions.data());
                          s.seconds_write += since(t);
                        });
  Progress progress(!o.quiet, pipeline);
  uint64_t rows_seen = 0;
  s.seconds_setup = since(t_start);
  while (true) {
    auto t = Clock::now();
    RowTile* tile = pipeline.next();  // time spent waiting for input
    s.seconds_read += since(t);
    if (!tile) break;
    rows_seen += tile->size;
    t = Clock::now();
    engine.forward(tile->features.data(), tile->size, tile->probabilities.data());
    s.seconds_forward += since(t);
    progress.update(rows_seen, tile->region_index + 1);
    pipeline.done(tile);
  }
  pipeline.finish_all();
  router.finish();
  progress.finish();
  const RegionGrouper& grouper = pipeline.grouper();
  s.rows = grouper.rows();
  s.regions = grouper.regions();
  s.largest_region_rows = grouper.largest_region_rows();
  if (reads) {
    s.from_reads = true;
    s.candidates = reads->candidates();
    s.realignment_sensitive_candidates = reads->realignment_sensitive_candidates();
    s.reads = reads->counters();
  }
  // Nothing is silently dropped: every row read went to exactly one output.
  if (s.rows != s.accepted + s.remainder)
    throw Error(kExitDataError, "internal error: " + std::to_string(s.rows) + " rows read but " +
                                    std::to_string(s.accepted) + " accepted + " + std::to_string(s.remainder) +
                                    " remainder written");

  // Publish: every output closed cleanly, then all take their final names.
  const auto t = Clock::now();
  accepted->close();
  remainder->close();
  s.seconds_write += since(t);
  s.seconds_total = since(t_start);
  if (stats_file) stats_file->write(stats_to_json(s, o, thresholds).dump(2) + "\n");
  publish_all({accepted.get(), remainder.get(), stats_file.get()});
  if (!o.quiet) std::cerr << summary_line(s, o) << "\n";
  return s;
}

}  // namespace smallcall
