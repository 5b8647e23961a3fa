#pragma once
// The fuzzed entry points, shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp) and the
// Catch2 replay of seeds and regression inputs (tests/test_fuzz_regressions.cpp). Each takes
// arbitrary bytes; a DataError (or WireError) is the expected reaction to bad input, anything
// else — another exception, a crash, a sanitizer report — is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <htslib/sam.h>

#include "smallcall/allele_counter.hpp"
#include "smallcall/error.hpp"
#include "smallcall/example.hpp"
#include "smallcall/model.hpp"
#include "smallcall/protobuf.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/tsv_reader.hpp"
#include "smallcall/variant.hpp"

namespace fuzz {

// Bytes as a file path, without touching the disk.
struct MemFile {
  int fd = -1;
  std::string path;
  MemFile(const uint8_t* data, std::size_t size) {
    fd = ::memfd_create("smallcall-fuzz", 0);
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd, data + done, size - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    path = "/proc/self/fd/" + std::to_string(fd);
  }
  ~MemFile() { ::close(fd); }
};

inline int tfrecord(const uint8_t* data, std::size_t size) {
  MemFile f(data, size);
  try {
    smallcall::TfRecordReader reader(f.path);
    std::string payload;
    while (reader.next(payload)) {
    }
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int example(const uint8_t* data, std::size_t size) {
  smallcall::CandidateId id;
  std::vector<float> features(70);
  try {
    smallcall::ExampleLayout layout;
    layout.num_features = 70;
    layout.is_multiallelic_value = 17;
    smallcall::decode_small_model_example(std::string_view(reinterpret_cast<const char*>(data), size), layout, id,
                                          features.data());
    // A decoded row must also encode, both as a remainder Example and as a CVO.
    std::string out;
    smallcall::encode_small_model_example(out, id, features.data(), 70);
    const float p[3] = {0.2f, 0.3f, 0.5f};
    smallcall::encode_call_variants_output(out, id, p, "fuzz", true);
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int variant(const uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const smallcall::VariantView v = smallcall::decode_variant(bytes);
    (void)smallcall::has_multiple_real_alts(v);
    int64_t depth;
    std::vector<int64_t> allele_depths;
    (void)smallcall::decode_call_depths(v, depth, allele_depths);
    (void)smallcall::decode_alt_allele_indices(bytes);
    smallcall::CandidateId id;
    id.has_candidate = true;
    id.variant_proto.assign(bytes);
    id.alt_indices_proto = std::string("\x0a\x01\x00", 3);
    std::string out;
    const float p[3] = {0.2f, 0.3f, 0.5f};
    smallcall::encode_call_variants_output(out, id, p, "fuzz", true);
  } catch (const smallcall::pb::WireError&) {
  }
  return 0;
}

inline int tsv(const uint8_t* data, std::size_t size) {
  MemFile f(data, size);
  static const std::vector<std::string> features{"depth", "vaf", "is_multiallelic"};
  try {
    smallcall::TsvReader reader(f.path, features);
    smallcall::CandidateId id;
    float values[3];
    std::string raw;
    while (reader.next(id, values, raw)) {
    }
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int model(const uint8_t* data, std::size_t size) {
  try {
    smallcall::parse_model_json(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

// Reads made from the bytes (positions, flags, MAPQ, CIGARs of every op kind, bases with
// N, qualities) over a reference with N, counted in a partition that may start anywhere
// on the contig; every candidate is encoded. Invariants broken -> trap.
inline int reads(const uint8_t* data, std::size_t size) {
  std::size_t at = 0;
  auto next = [&]() -> uint8_t { return at < size ? data[at++] : 0; };
  static const char kBases[] = "ACGTNacgt";
  const int64_t contig_len = 20 + next() % 200;
  std::string ref(static_cast<std::size_t>(contig_len), 'A');
  for (auto& c : ref) c = static_cast<char>(std::toupper(static_cast<unsigned char>(kBases[next() % 9])));
  const int64_t begin = next() % contig_len;
  const int64_t end = std::min<int64_t>(contig_len, begin + 1 + next() % 100);
  std::vector<bam1_t*> reads;
  const int n_reads = next() % 40;
  for (int r = 0; r < n_reads && at < size; ++r) {
    const int64_t pos = next() % contig_len;
    const uint16_t flag = static_cast<uint16_t>((next() & 0x1f) << 4 | (next() & 0x3));  // paired/strand/mate bits
    const uint8_t mapq = next();
    std::vector<uint32_t> cigar;
    const int n_ops = 1 + next() % 6;
    uint32_t qlen = 0;
    for (int k = 0; k < n_ops; ++k) {
      const uint8_t b = next();
      const uint32_t op = b % 9, len = 1 + (b >> 4);
      cigar.push_back(bam_cigar_gen(len, op));
      if (bam_cigar_type(op) & 1) qlen += len;
    }
    std::string seq(qlen, 'A'), qual(qlen, 30);
    for (uint32_t i = 0; i < qlen; ++i) {
      const uint8_t b = next();
      seq[i] = "ACGTN"[b % 5];
      qual[i] = static_cast<char>(b % 42);
    }
    bam1_t* b = bam_init1();
    const std::string name = "r" + std::to_string(next() % 8);  // repeated keys on purpose
    if (bam_set1(b, name.size(), name.c_str(), flag, 0, pos, mapq, cigar.size(), cigar.data(), -1, -1, 0, qlen,
                 seq.c_str(), qual.c_str(), 0) < 0) {
      bam_destroy1(b);
      continue;
    }
    reads.push_back(b);
  }
  smallcall::AlleleCounterOptions options;
  options.vaf_context_window = 1 + 2 * (next() % 30);
  options.track_ref_reads = next() % 4 != 0;
  options.min_base_quality = next() % 40;
  options.vsc_min_count_snps = options.vsc_min_count_indels = next() % 4;
  options.realignment_distance = static_cast<int>(next()) - 20;
  smallcall::PartitionView p;
  p.contig = "fuzz";
  p.contig_length = contig_len;
  p.begin = begin;
  p.end = end;
  p.reference = ref;
  p.reads = reads.data();
  p.num_reads = reads.size();
  std::vector<smallcall::Candidate> candidates;
  smallcall::AlleleCounter(options).find_candidates(p, candidates);
  std::vector<int64_t> features(smallcall::kBaseFeatures + smallcall::kVariantFeatures +
                                static_cast<std::size_t>(options.vaf_context_window));
  for (const auto& c : candidates) {
    if (c.alts.empty() || c.allele_depths.size() != c.alts.size() + 1 || c.start < begin || c.start >= end ||
        c.vaf_context.size() != static_cast<std::size_t>(options.vaf_context_window))
      __builtin_trap();
    for (std::size_t a = 0; a < c.alts.size(); ++a) {
      smallcall::encode_wgs_features(c, {static_cast<int>(a)}, features.data());
      for (int64_t v : features)
        if (v < 0) __builtin_trap();
    }
  }
  for (bam1_t* b : reads) bam_destroy1(b);
  return 0;
}

}  // namespace fuzz
