#pragma once
// The fuzzed entry points, shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp) and the
// Catch2 replay of seeds and regression inputs (tests/test_fuzz_regressions.cpp). Each takes
// arbitrary bytes; a DataError (or WireError) is the expected reaction to bad input, anything
// else — another exception, a crash, a sanitizer report — is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <htslib/sam.h>

#include "smallcall/allele_counter.hpp"
#include "smallcall/error.hpp"
#include "smallcall/example.hpp"
#include "smallcall/feature_encoder.hpp"
#include "smallcall/feature_names.hpp"
#include "smallcall/json_reader.hpp"
#include "../json_compare.hpp"
#include "smallcall/tsv_writer.hpp"
#include "smallcall/model.hpp"
#include "smallcall/protobuf.hpp"
#include "smallcall/realigner.hpp"
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
  smallcall::Row row;
  std::vector<float> features(70);
  try {
    smallcall::ExampleLayout layout;
    layout.num_features = 70;
    layout.is_multiallelic_value = 17;
    smallcall::decode_small_model_example(std::string_view(reinterpret_cast<const char*>(data), size), layout, row,
                                          features.data());
    // A decoded row must also encode, both as a remainder Example and as a CVO.
    std::string out;
    smallcall::encode_small_model_example(out, row, features.data(), 70);
    const float p[3] = {0.2f, 0.3f, 0.5f};
    smallcall::encode_call_variants_output(out, row, p, "fuzz", true);
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int variant(const uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const smallcall::VariantView v = smallcall::decode_variant(bytes);
    (void)smallcall::has_multiple_real_alts(v);
    smallcall::CandidateInfo info;
    (void)smallcall::decode_call_info(v, info);
    (void)smallcall::decode_alt_allele_indices(bytes);
    smallcall::Row row;
    row.has_candidate = true;
    row.candidate.variant_proto.assign(bytes);
    row.candidate.alt_indices_proto = std::string("\x0a\x01\x00", 3);
    std::string out;
    const float p[3] = {0.2f, 0.3f, 0.5f};
    smallcall::encode_call_variants_output(out, row, p, "fuzz", true);
  } catch (const smallcall::pb::WireError&) {
  }
  return 0;
}

inline int tsv(const uint8_t* data, std::size_t size) {
  MemFile f(data, size);
  static const std::vector<std::string> features{"depth", "vaf", "is_multiallelic"};
  try {
    smallcall::TsvReader reader(f.path, features);
    smallcall::Row row;
    float values[3];
    std::string raw;
    while (reader.next(row, values, raw)) {
    }
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

// The model file, and the plain-JSON reader against nlohmann on the same bytes: whatever
// the plain reader accepts, nlohmann must accept and build identically.
inline int model(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto plain = smallcall::parse_json_plain(text)) {
    nlohmann::json reference;
    try {
      reference = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception&) {
      __builtin_trap();  // the plain reader accepted invalid JSON
    }
    if (!testutil::same_json(*plain, reference)) __builtin_trap();
  }
  try {
    smallcall::parse_model_json(std::string(text), "fuzz.json");
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
  // Half the time the realigner runs first (small k and windows, so the bytes reach assembly
  // and the aligner), and the windows it gave up on guard the candidates.
  smallcall::PartitionView p;
  if (next() % 2) {
    smallcall::RealignerOptions ro;
    ro.windows.min_windows_distance = next() % 20;
    ro.windows.min_allele_support = next() % 3;
    ro.graph.min_k = 3 + next() % 6;
    ro.graph.max_num_paths = next() % 40;
    ro.aligner.kmer_size = 3 + next() % 10;
    smallcall::Realigner realigner(ro);
    realigner.realign(reads.data(), reads.size(), begin, end, smallcall::ReferenceSpan{0, ref, contig_len});
    for (const bam1_t* b : reads)
      if (bam_cigar2qlen(static_cast<int>(b->core.n_cigar), bam_get_cigar(b)) != b->core.l_qseq) __builtin_trap();
    p.guarded = realigner.given_up();
  }
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

// ---- Structure-aware harnesses: valid outer messages around fuzzed inner ones ------------
//
// Byte mutations of a whole tf.Example almost never stay valid deep enough to reach a
// candidate's calls[0].info values (Example -> bytes_list -> Variant -> calls -> info map ->
// ListValue -> Value). These harnesses build every outer layer correctly and put the fuzzed
// bytes at one depth, chosen by the first byte. The property: a row either fails to decode
// with a DataError, or every output path succeeds on it and writes what it must.

namespace nested_detail {
using smallcall::pb::Writer;

inline std::string bytes_field(uint32_t field, std::string_view b) {
  std::string out;
  Writer(out).len_field(field, b);
  return out;
}
inline std::string info_entry(std::string_view key, std::string_view list) {
  return bytes_field(2, bytes_field(1, key) + bytes_field(2, list));  // VariantCall.info
}
inline std::string int_value(int64_t v) {
  std::string value;
  Writer(value).int64_field(7, v);
  return bytes_field(1, value);  // ListValue.values
}
inline std::string call_with(const std::string& entries) { return entries + bytes_field(9, "NA12878"); }
inline std::string variant_with(const std::string& call) {
  std::string v;
  Writer w(v);
  w.len_field(6, "A");
  w.len_field(7, "G");
  w.len_field(7, "T");
  w.len_field(11, call);
  w.int64_field(13, 101);
  w.len_field(14, "q");
  w.int64_field(16, 100);
  return v;
}
inline std::string feature_entry(std::string_view key, std::string_view feature) {
  return bytes_field(1, bytes_field(1, key) + bytes_field(2, feature));  // Features.feature map entry
}
inline std::string bytes_feature(std::string_view value) { return bytes_field(1, bytes_field(1, value)); }

// Every field of `message` but `skip_field`, as bytes in order.
inline std::string without_field(std::string_view message, uint32_t skip_field) {
  std::string out;
  smallcall::pb::Reader r(message);
  uint32_t f;
  int w;
  const char* start = r.position();
  while (r.next(f, w)) {
    r.skip(w);
    if (f != skip_field) out.append(start, r.position());
    start = r.position();
  }
  return out;
}

// The CVO of a decoded row, checked field by field against the row (traps on any difference).
inline void check_cvo(const smallcall::Row& row, const float p[3], bool sample_given) {
  using smallcall::pb::Reader;
  std::string cvo;
  smallcall::encode_call_variants_output(cvo, row, p, "fuzz-sample", sample_given);
  std::string_view variant, indices, probs;
  int n_variant = 0;
  // Each LEN field `field` of `message` (protobuf treats another wire type as an unknown field).
  auto each_len = [](std::string_view message, uint32_t field, auto fn) {
    smallcall::pb::for_each_field(message, field, [&](Reader& r, int w) {
      if (w == smallcall::pb::kLen) fn(r.bytes());
      else r.skip(w);
    });
  };
  each_len(cvo, 1, [&](std::string_view b) { variant = b, ++n_variant; });
  each_len(cvo, 2, [&](std::string_view b) { indices = b; });
  each_len(cvo, 3, [&](std::string_view b) { probs = b; });
  if (n_variant != 1 || probs.size() != 24) __builtin_trap();
  for (int k = 0; k < 3; ++k) {
    double d;
    std::memcpy(&d, probs.data() + 8 * k, 8);
    if (d != static_cast<double>(p[k])) __builtin_trap();
  }
  if (!row.has_candidate) return;
  std::string scratch_variant, scratch_indices;
  const std::string& in_variant = smallcall::candidate_variant(row, scratch_variant);
  if (indices != smallcall::candidate_alt_indices(row, scratch_indices)) __builtin_trap();
  // The variant verbatim but for its calls; exactly one call.
  if (without_field(variant, 11) != without_field(in_variant, 11)) __builtin_trap();
  std::vector<std::string_view> calls, in_calls;
  each_len(variant, 11, [&](std::string_view b) { calls.push_back(b); });
  each_len(in_variant, 11, [&](std::string_view b) { in_calls.push_back(b); });
  if (calls.size() != 1) __builtin_trap();
  // calls[0]: MID exactly once, = ["small_model"]; the sample replaced only when given.
  int mids = 0;
  std::vector<std::string_view> names;
  each_len(calls[0], 2, [&](std::string_view bytes) {
    std::string_view key, list;
    Reader entry(bytes);
    uint32_t f;
    int w;
    while (entry.next(f, w)) {
      if (f == 1 && w == 2) key = entry.bytes();
      else if (f == 2 && w == 2) list = entry.bytes();
      else entry.skip(w);
    }
    if (key == "MID") {
      ++mids;
      if (list != bytes_field(1, bytes_field(3, "small_model"))) __builtin_trap();
    }
  });
  each_len(calls[0], 9, [&](std::string_view b) { names.push_back(b); });
  if (mids != 1) __builtin_trap();
  if (sample_given && (names.size() != 1 || names[0] != "fuzz-sample")) __builtin_trap();
  if (!sample_given && !in_calls.empty()) {
    std::vector<std::string_view> in_names;
    each_len(in_calls[0], 9, [&](std::string_view b) { in_names.push_back(b); });
    if (names != in_names) __builtin_trap();
  }
}

// Every output path for a decoded row; none may throw.
inline void write_everywhere(const smallcall::Row& row, const float* features, int n) {
  try {
    std::string out;
    smallcall::encode_small_model_example(out, row, features, n, 17);
    out.clear();
    smallcall::append_tsv_row(out, row, features, n, true, true);
    const float p[3] = {0.25f, 0.5f, 0.25f};
    check_cvo(row, p, false);
    check_cvo(row, p, true);
    // A remainder tf.Example decodes to the same row.
    out.clear();
    smallcall::encode_small_model_example(out, row, features, n, 17);
    smallcall::Row again;
    std::vector<float> f2(static_cast<std::size_t>(n));
    smallcall::ExampleLayout layout;
    layout.num_features = n;
    layout.is_multiallelic_value = 17;
    smallcall::decode_small_model_example(out, layout, again, f2.data());
    if (again.is_multiallelic != row.is_multiallelic || again.realignment_sensitive != row.realignment_sensitive ||
        again.alts != row.alts || again.alt_indices != row.alt_indices ||
        again.candidate.depth != row.candidate.depth || again.candidate.allele_depths != row.candidate.allele_depths ||
        again.candidate.alts != row.candidate.alts || again.candidate.sample != row.candidate.sample ||
        again.candidate.variant_proto != row.candidate.variant_proto)
      __builtin_trap();
  } catch (const smallcall::DataError&) {
    __builtin_trap();  // decoding accepted the row: writing it must not fail
  }
}
}  // namespace nested_detail

// First byte: the depth of the fuzzed bytes (0 Variant, 1 calls[0], 2 an info map entry, 3 a
// ListValue under DP or AD, 4 one Value, 5 AltAlleleIndices, 6 a whole tf.Example feature
// value under a small-model key); the rest: those bytes.
inline int nested(const uint8_t* data, std::size_t size) {
  using namespace nested_detail;
  if (size < 1) return 0;
  const int level = data[0] % 7;
  const std::string_view fuzz(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string dp = info_entry("DP", int_value(30));
  const std::string ad = info_entry("AD", int_value(10) + int_value(15) + int_value(5));
  std::string variant, indices = bytes_field(1, std::string("", 1));
  switch (level) {
    case 0: variant.assign(fuzz); break;
    case 1: variant = variant_with(std::string(fuzz)); break;
    case 2: variant = variant_with(call_with(dp + bytes_field(2, fuzz) + ad)); break;
    case 3: variant = variant_with(call_with(info_entry(size % 2 ? "DP" : "AD", fuzz))); break;
    case 4: variant = variant_with(call_with(dp + info_entry("AD", int_value(10) + bytes_field(1, fuzz)))); break;
    case 5: variant = variant_with(call_with(dp + ad)), indices.assign(fuzz); break;
    default: variant = variant_with(call_with(dp + ad)); break;
  }
  std::string features_list;
  {
    std::string packed;
    Writer pw(packed);
    for (int i = 0; i < 70; ++i) pw.varint(static_cast<uint64_t>(i % 7));
    features_list = bytes_field(3, bytes_field(1, packed));  // Feature.int64_list
  }
  std::string ids;
  for (const char* v : {"q", "100", "101", "A", "G|T"}) ids += bytes_field(1, v);
  std::string entries = feature_entry("features/encoded", features_list) +
                        feature_entry("ids/encoded", bytes_field(1, ids)) +
                        feature_entry("variant/encoded", bytes_feature(variant)) +
                        feature_entry("alt_allele_indices/encoded", bytes_feature(indices));
  if (level == 6) {
    static const char* const keys[] = {"region/encoded", "realignment_sensitive/encoded", "is_multiallelic/encoded",
                                       "label/encoded", "variant/encoded", "ids/encoded"};
    entries += feature_entry(keys[size % 6], fuzz);
  }
  const std::string example = bytes_field(1, entries);
  smallcall::Row row;
  std::vector<float> features(70);
  smallcall::ExampleLayout layout;
  layout.num_features = 70;
  layout.is_multiallelic_value = 17;
  try {
    smallcall::decode_small_model_example(example, layout, row, features.data());
  } catch (const smallcall::DataError&) {
    return 0;  // refused as data: fine
  }
  write_everywhere(row, features.data(), 70);
  return 0;
}

// A candidate (Variant bytes) with fuzzed alt indices, probabilities and sample choice: if the
// row reader accepts it, the CVO must carry it verbatim but for the one marked call.
// Layout: [flags][3 x float32][indices length][indices][variant bytes].
inline int cvo(const uint8_t* data, std::size_t size) {
  if (size < 14) return 0;
  const bool sample_given = data[0] & 1;
  float p[3];
  std::memcpy(p, data + 1, 12);
  for (float& x : p)
    if (!std::isfinite(x)) x = 0.5f;
  const std::size_t n_indices = std::min<std::size_t>(data[13], size - 14);
  smallcall::Row row;
  row.has_candidate = true;
  row.candidate.alt_indices_proto.assign(reinterpret_cast<const char*>(data + 14), n_indices);
  row.candidate.variant_proto.assign(reinterpret_cast<const char*>(data + 14 + n_indices), size - 14 - n_indices);
  try {
    smallcall::read_candidate(row);
  } catch (const smallcall::DataError&) {
    return 0;
  }
  try {
    nested_detail::check_cvo(row, p, sample_given);
  } catch (const smallcall::DataError&) {
    __builtin_trap();
  }
  return 0;
}

// The sidecar JSON: only DataError on bad input; what parses round-trips through our writer
// and names unique, non-empty features that the model matching finds by name.
inline int sidecar(const uint8_t* data, std::size_t size) {
  std::vector<std::string> names;
  try {
    names = smallcall::parse_sidecar(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const smallcall::DataError&) {
    return 0;
  }
  if (names.empty()) __builtin_trap();
  try {
    if (smallcall::parse_sidecar(smallcall::sidecar_json(names), "again.json") != names) __builtin_trap();
    const std::vector<int> at = smallcall::match_features({names.back(), names.front()}, names, "fuzz.json");
    if (names[static_cast<std::size_t>(at[0])] != names.back() || at[1] != 0) __builtin_trap();
  } catch (const smallcall::DataError&) {
    __builtin_trap();
  }
  const std::string absent = names.front() + "#";  // a name the list may or may not hold
  try {
    smallcall::match_features({absent}, names, "fuzz.json");
    if (std::find(names.begin(), names.end(), absent) == names.end()) __builtin_trap();
  } catch (const smallcall::DataError&) {
    if (std::find(names.begin(), names.end(), absent) != names.end()) __builtin_trap();
  }
  return 0;
}

}  // namespace fuzz
