#include "smallcall/tsv_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "smallcall/byte_source.hpp"
#include "smallcall/error.hpp"
#include "smallcall/variant.hpp"

namespace smallcall {

namespace {

enum class Role : int8_t { kIgnore, kContig, kStart, kEnd, kRef, kAlt, kRegion, kCandidateAlts, kDp, kAd };

struct Column {
  Role role = Role::kIgnore;
  int feature = -1;             // index in the model's feature order, or -1
  bool multiallelic_flag = false;  // the `is_multiallelic` column, used by the gate switch
  bool label = false;              // `label`: the truth class (0 hom_ref, 1 het, 2 hom_alt)
  bool realignment = false;        // `realignment_sensitive`: 1 sends the row to the remainder
};

bool parse_int64(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && b != s.data() + s.size();
}

// Feature cells: integers (the DeepVariant encoding) or decimals; finite float32 only.
bool parse_feature(std::string_view s, float& out, std::string& why) {
  if (s.empty()) {
    why = "empty";
    return false;
  }
  int64_t i = 0;
  if (s.size() <= 18 && parse_int64(s, i)) {
    out = static_cast<float>(i);  // int64 -> float32 directly, as Keras casts the row array
    return true;
  }
  const char* b = s.data();
  if (*b == '+') ++b;
  double d = 0;
  auto [p, ec] = std::from_chars(b, s.data() + s.size(), d);
  if (ec == std::errc::result_out_of_range) {
    why = "out of range";
    return false;
  }
  if (ec != std::errc() || p != s.data() + s.size() || b == s.data() + s.size()) {
    why = "not a number";
    return false;
  }
  if (!std::isfinite(d)) {
    why = "not finite";
    return false;
  }
  out = static_cast<float>(d);
  if (!std::isfinite(out)) {
    why = "outside the float32 range";
    return false;
  }
  return true;
}

std::string printable(std::string_view s) {
  std::string out(s.substr(0, 40));
  if (s.size() > 40) out += "...";
  return "\"" + out + "\"";
}

}  // namespace

struct TsvReader::Impl {
  std::unique_ptr<ByteSource> source;
  std::unique_ptr<LineReader> lines;
  std::vector<Column> columns;
  std::vector<std::string> names;
  int num_features = 0;
  bool with_candidate = false;  // candidate_alts, dp and ad columns
  std::string_view candidate_alts, dp, ad;  // this line's cells
};

namespace {

// The candidate columns of one line: "." throughout for a row without its candidate;
// candidate_alts "A|AC" (every alt of the candidate), dp and ad ("12,5,3": ref, then each
// alt), each "." when unknown.
void read_candidate_cells(Row& row, std::string_view alts, std::string_view dp, std::string_view ad,
                          const std::string& path, uint64_t line) {
  row.alt_indices.clear();
  CandidateInfo& c = row.candidate;
  c.depth = -1;
  c.allele_depths.clear();
  c.allele_depths_int = true;
  c.vaf.clear();
  c.sample.clear();
  c.variant_proto.clear();
  c.alt_indices_proto.clear();
  row.has_candidate = alts != ".";
  if (!row.has_candidate) {
    if (dp != "." || ad != ".")
      throw DataError(located(path, line, "column \"candidate_alts\" is \".\" but dp or ad is not"));
    c.alts.clear();
    return;
  }
  split_alts(alts, c.alts);
  for (std::size_t i = 0; i < c.alts.size(); ++i) {
    if (c.alts[i].empty()) throw DataError(located(path, line, "column \"candidate_alts\": empty alt"));
    for (std::size_t j = 0; j < i; ++j)
      if (c.alts[i] == c.alts[j])
        throw DataError(located(path, line, "column \"candidate_alts\": alt \"" + c.alts[i] + "\" appears twice"));
  }
  for (const auto& a : row.alts) {
    const auto it = std::find(c.alts.begin(), c.alts.end(), a);
    if (it == c.alts.end())
      throw DataError(located(path, line, "alt \"" + a + "\" is not among the candidate's alts \"" + std::string(alts) + "\""));
    row.alt_indices.push_back(static_cast<int>(it - c.alts.begin()));
  }
  if (dp != ".") {
    int64_t v = 0;
    if (!parse_int64(dp, v) || v < 0)
      throw DataError(located(path, line, "column \"dp\": expected a count or \".\", found " + printable(dp)));
    c.depth = v;
  }
  if (ad != ".") {
    std::size_t b = 0;
    while (true) {
      const std::size_t comma = ad.find(',', b);
      const std::string_view cell = ad.substr(b, comma == std::string_view::npos ? std::string_view::npos : comma - b);
      int64_t v = 0;
      if (!parse_int64(cell, v) || v < 0)
        throw DataError(located(path, line, "column \"ad\": expected counts like 12,5 or \".\", found " + printable(ad)));
      c.allele_depths.push_back(v);
      if (comma == std::string_view::npos) break;
      b = comma + 1;
    }
    if (c.allele_depths.size() != c.alts.size() + 1)
      throw DataError(located(path, line, "column \"ad\" has " + std::to_string(c.allele_depths.size()) +
                                              " counts; the candidate has " + std::to_string(c.alts.size() + 1) +
                                              " alleles"));
  }
  if (c.depth < 0 || c.allele_depths.empty()) {  // as a Variant read: DP and AD together or neither
    c.depth = -1;
    c.allele_depths.clear();
  } else {
    c.vaf = candidate_vaf(c.depth, c.allele_depths);
  }
}

}  // namespace

TsvReader::TsvReader(const std::string& path, const std::vector<std::string>& features)
    : TsvReader(std::make_unique<ByteSource>(path), features) {}

TsvReader::TsvReader(std::unique_ptr<ByteSource> source, const std::vector<std::string>& features)
    : impl_(std::make_unique<Impl>()), path_(source->path()) {
  const std::string path = path_;
  impl_->source = std::move(source);
  impl_->num_features = static_cast<int>(features.size());

  impl_->lines = std::make_unique<LineReader>(*impl_->source, kMaxLineBytes);
  if (!impl_->lines->getline(header_line_)) return;  // no bytes at all: zero rows
  if (header_line_.empty() || header_line_ == "\r")
    throw DataError(located(path, 1, "empty header line: expected a header line naming the columns"));
  std::string_view header(header_line_);
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  if (!header.empty() && header.front() == '#') header.remove_prefix(1);

  std::unordered_map<std::string, int> feature_index;
  for (int f = 0; f < impl_->num_features; ++f) feature_index.emplace(features[f], f);
  std::unordered_map<std::string, int> col_of;
  std::size_t begin = 0;
  while (true) {
    const std::size_t tab = header.find('\t', begin);
    std::string name(header.substr(begin, tab == std::string_view::npos ? std::string_view::npos : tab - begin));
    impl_->names.push_back(name);
    Column c;
    if (name == "contig") c.role = Role::kContig;
    else if (name == "start") c.role = Role::kStart;
    else if (name == "end") c.role = Role::kEnd;
    else if (name == "ref") c.role = Role::kRef;
    else if (name == "alt") c.role = Role::kAlt;
    else if (name == "region") c.role = Role::kRegion;
    else if (name == "candidate_alts") c.role = Role::kCandidateAlts;
    else if (name == "dp") c.role = Role::kDp;
    else if (name == "ad") c.role = Role::kAd;
    auto f = feature_index.find(name);
    if (f != feature_index.end()) c.feature = f->second;
    c.multiallelic_flag = name == "is_multiallelic";
    c.label = name == "label";
    c.realignment = name == "realignment_sensitive";
    if ((c.role != Role::kIgnore || c.feature >= 0) && !col_of.emplace(name, static_cast<int>(impl_->columns.size())).second)
      throw DataError(located(path, 1, "column \"" + name + "\" appears twice in the header"));
    impl_->columns.push_back(c);
    if (tab == std::string_view::npos) break;
    begin = tab + 1;
  }
  // `alt_1` (DeepVariant's older TSV) stands for `alt` when there is no `alt` column.
  if (!col_of.count("alt"))
    for (std::size_t i = 0; i < impl_->names.size(); ++i)
      if (impl_->names[i] == "alt_1") {
        impl_->columns[i].role = Role::kAlt;
        col_of["alt"] = static_cast<int>(i);
      }
  for (const char* required : {"contig", "start", "end", "ref", "alt"})
    if (!col_of.count(required))
      throw DataError(located(path, 1, std::string("header has no \"") + required + "\" column" +
                                           (std::strcmp(required, "alt") == 0 ? " (or \"alt_1\")" : "") +
                                           "; the first line must be the header"));
  std::string missing;
  int n_missing = 0;
  for (const auto& f : features)
    if (!col_of.count(f)) {
      if (n_missing < 5) missing += (missing.empty() ? "" : ", ") + ("\"" + f + "\"");
      ++n_missing;
    }
  if (n_missing)
    throw DataError(located(path, 1, "missing feature column" + std::string(n_missing > 1 ? "s " : " ") + missing +
                                         (n_missing > 5 ? " and " + std::to_string(n_missing - 5) + " more" : "") +
                                         " required by the model"));
  const int candidate_columns = static_cast<int>(col_of.count("candidate_alts") + col_of.count("dp") + col_of.count("ad"));
  if (candidate_columns != 0 && candidate_columns != 3)
    throw DataError(located(path, 1, "the candidate columns \"candidate_alts\", \"dp\" and \"ad\" go together; the "
                                     "header has only some of them"));
  impl_->with_candidate = candidate_columns == 3;
  region_col_ = col_of.count("region") ? col_of["region"] : -1;
  for (std::size_t i = 0; i < impl_->columns.size(); ++i)
    if (impl_->columns[i].feature >= 0) feature_columns_.push_back(impl_->names[i]);
}

TsvReader::~TsvReader() = default;

std::string TsvReader::where(const Row& row) const { return impl_->source->display_name() + ":" + std::to_string(row.record); }

double TsvReader::fraction_consumed() const { return impl_->source->fraction_consumed(); }

bool TsvReader::next(Row& row, float* features, std::string& raw) {
  Impl& s = *impl_;
  if (header_line_.empty() || !s.lines->getline(raw)) return false;
  const uint64_t line_no = s.lines->line_no();
  std::string_view line(raw);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF input is accepted

  row.record = line_no;
  row.is_multiallelic = false;
  row.label = -1;
  row.realignment_sensitive = false;
  bool multiallelic_flag = false;
  std::size_t col = 0, begin = 0;
  const std::size_t ncols = s.columns.size();
  std::string why;
  while (true) {
    const std::size_t tab = line.find('\t', begin);
    const std::string_view cell = line.substr(begin, tab == std::string_view::npos ? std::string_view::npos : tab - begin);
    if (col < ncols) {
      const Column& c = s.columns[col];
      if (c.feature >= 0 && !parse_feature(cell, features[c.feature], why))
        throw DataError(located(path_, line_no, "column \"" + s.names[col] + "\": " + why + " value " + printable(cell)));
      if (c.label) {
        int64_t v = -1;
        if (!parse_int64(cell, v) || v < 0 || v > 2)
          throw DataError(located(path_, line_no, "column \"label\": expected 0, 1 or 2, found " + printable(cell)));
        row.label = static_cast<int>(v);
      }
      if (c.realignment) {
        if (cell != "0" && cell != "1")
          throw DataError(located(path_, line_no, "column \"realignment_sensitive\": expected 0 or 1, found " +
                                                        printable(cell)));
        row.realignment_sensitive = cell == "1";
      }
      if (c.multiallelic_flag) {
        float v = 0;
        if (!parse_feature(cell, v, why))
          throw DataError(located(path_, line_no, "column \"" + s.names[col] + "\": " + why + " value " + printable(cell)));
        multiallelic_flag = v != 0;
      }
      switch (c.role) {
        case Role::kIgnore: break;
        case Role::kContig: row.contig.assign(cell); break;
        case Role::kRef: row.ref.assign(cell); break;
        case Role::kAlt: split_alts(cell, row.alts); break;
        case Role::kRegion: row.region.assign(cell); break;
        case Role::kCandidateAlts: s.candidate_alts = cell; break;
        case Role::kDp: s.dp = cell; break;
        case Role::kAd: s.ad = cell; break;
        case Role::kStart:
        case Role::kEnd: {
          int64_t v = 0;
          if (!parse_int64(cell, v) || v < 0)
            throw DataError(located(path_, line_no, "column \"" + s.names[col] + "\": expected a non-negative integer, found " + printable(cell)));
          (c.role == Role::kStart ? row.start : row.end) = v;
          break;
        }
      }
    }
    ++col;
    if (tab == std::string_view::npos) break;
    begin = tab + 1;
  }
  if (col != ncols)
    throw DataError(located(path_, line_no, "expected " + std::to_string(ncols) + " tab-separated fields (as in the header), found " + std::to_string(col)));
  if (row.contig.empty()) throw DataError(located(path_, line_no, "empty contig"));
  if (row.end < row.start) throw DataError(located(path_, line_no, "end " + std::to_string(row.end) + " is before start " + std::to_string(row.start)));
  if (row.ref.empty()) throw DataError(located(path_, line_no, "empty ref"));
  for (const auto& a : row.alts)
    if (a.empty()) throw DataError(located(path_, line_no, "empty alt"));
  row.is_snp = subset_is_snp(row.ref, row.alts);
  row.is_multiallelic = multiallelic_flag || row.alts.size() > 1;
  if (s.with_candidate) {
    read_candidate_cells(row, s.candidate_alts, s.dp, s.ad, path_, line_no);
    row.is_multiallelic = row.is_multiallelic || row.candidate.alts.size() > 1;
  } else {
    row.has_candidate = false;
    row.alt_indices.clear();
  }
  return true;
}

}  // namespace smallcall
