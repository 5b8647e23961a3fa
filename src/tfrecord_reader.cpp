#include "smallcall/tfrecord_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "smallcall/crc32c.hpp"
#include "smallcall/error.hpp"
#include "smallcall/tsv_writer.hpp"

namespace smallcall {

TfRecordRowReader::TfRecordRowReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features)
    : records_(std::move(source)), path_(records_.source().path()) {
  layout_.num_features = static_cast<int>(features.size());
  for (std::size_t i = 0; i < features.size(); ++i)
    if (features[i] == "is_multiallelic") layout_.is_multiallelic_feature = static_cast<int>(i);
  first_features_.resize(features.size());
  have_first_ = read_decoded(first_id_, first_features_.data(), first_raw_);
  has_region_ = have_first_ && !first_id_.region.empty();
}

bool TfRecordRowReader::read_decoded(CandidateId& id, float* features, std::string& raw) {
  if (!records_.next(raw)) return false;
  const uint64_t index = records_.records_read() - 1;
  try {
    decode_small_model_example(raw, layout_, id, features);
  } catch (const DataError& e) {
    throw DataError(records_.source().display_name() + ": record " + std::to_string(index) + ": " + e.what());
  }
  id.record = index;
  return true;
}

bool TfRecordRowReader::next(CandidateId& id, float* features, std::string& raw) {
  if (have_first_) {
    have_first_ = false;
    std::swap(id, first_id_);
    std::swap(raw, first_raw_);
    std::memcpy(features, first_features_.data(), sizeof(float) * first_features_.size());
    return true;
  }
  if (!read_decoded(id, features, raw)) return false;
  if (has_region_ && id.region.empty())
    throw DataError(records_.source().display_name() + ": record " + std::to_string(id.record) +
                    ": no region/encoded, but the first record has one");
  return true;
}

namespace {
bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }
}  // namespace

std::unique_ptr<RowReader> open_row_reader(const std::string& path, const std::vector<std::string>& features) {
  auto source = std::make_unique<ByteSource>(path);
  bool tfrecord;
  if (contains(path, ".tfrecord")) tfrecord = true;
  else if (contains(path, ".tsv")) tfrecord = false;
  else {
    const std::string_view head = source->peek(12);
    uint32_t stored = 0;
    if (head.size() == 12) std::memcpy(&stored, head.data() + 8, 4);
    tfrecord = head.size() == 12 && masked_crc32c(head.data(), 8) == stored;
  }
  if (tfrecord) return std::make_unique<TfRecordRowReader>(std::move(source), features);
  return std::make_unique<TsvReader>(std::move(source), features);
}

std::string tsv_header_for(const std::vector<std::string>& features, bool with_region, bool with_realignment) {
  std::string h = "contig\tstart\tend\tref\talt";
  if (with_region) h += "\tregion";
  if (with_realignment) h += "\trealignment_sensitive";
  for (const auto& f : features) h += "\t" + f;
  return h;
}

void append_tsv_row(std::string& out, const CandidateId& id, const float* features, int n, bool with_region,
                    bool with_realignment) {
  out += id.contig;
  out += '\t';
  out += std::to_string(id.start);
  out += '\t';
  out += std::to_string(id.end);
  out += '\t';
  out += id.ref;
  out += '\t';
  out += id.alt;
  if (with_region) {
    out += '\t';
    out += id.region;
  }
  if (with_realignment) out += id.realignment_sensitive ? "\t1" : "\t0";
  for (int i = 0; i < n; ++i) {
    out += '\t';
    const float v = features[i];
    if (v == std::nearbyint(v) && std::fabs(v) < 1e15f) {
      char buf[24];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
      out.append(buf, p);
    } else {
      append_float(out, v);
    }
  }
}

}  // namespace smallcall
