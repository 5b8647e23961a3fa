#include "smallcall/paths.hpp"

#include <cctype>

#include "smallcall/error.hpp"

namespace smallcall {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Removes a trailing "-<digits>-of-<digits>" (DeepVariant's sharded file names).
void strip_shard_suffix(std::string& name) {
  std::size_t i = name.size();
  auto digits_before = [&](std::size_t end) {
    std::size_t b = end;
    while (b > 0 && std::isdigit(static_cast<unsigned char>(name[b - 1]))) --b;
    return b;
  };
  const std::size_t total_begin = digits_before(i);
  if (total_begin == i || total_begin < 4 || name.compare(total_begin - 4, 4, "-of-") != 0) return;
  const std::size_t index_end = total_begin - 4;
  const std::size_t index_begin = digits_before(index_end);
  if (index_begin == index_end || index_begin == 0 || name[index_begin - 1] != '-') return;
  name.erase(index_begin - 1);
}

}  // namespace

bool has_suffix(const std::string& path, const std::string& suffix) {
  if (path.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(path[path.size() - suffix.size() + i])) !=
        std::tolower(static_cast<unsigned char>(suffix[i])))
      return false;
  return true;
}

PathKind path_kind(const std::string& path) {
  PathKind k;
  std::string name = lower(path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1));
  for (const char* z : {".gz", ".bgz"})
    if (has_suffix(name, z)) {
      k.compressed = true;
      name.erase(name.size() - std::char_traits<char>::length(z));
      break;
    }
  strip_shard_suffix(name);
  if (has_suffix(name, ".tsv")) k.format = FileFormat::kTsv;
  else if (has_suffix(name, ".tfrecord") || has_suffix(name, ".tfrecords")) k.format = FileFormat::kTfRecord;
  else if (has_suffix(name, ".vcf")) k.format = FileFormat::kVcf;
  else if (has_suffix(name, ".bcf")) k.format = FileFormat::kBcf;
  return k;
}

PathKind output_kind(const std::string& path, const std::string& flag) {
  // stdout is TSV; /dev/null keeps nothing, so any format is right for it.
  if (path == "-" || path == "/dev/null") return PathKind{FileFormat::kTsv, false};
  const PathKind k = path_kind(path);
  if (k.format == FileFormat::kBcf && k.compressed)
    throw UsageError(flag + " " + path + ": BCF is compressed already; name it .bcf");
  if (k.format == FileFormat::kUnknown)
    throw UsageError(flag + " " + path +
                     ": the name says no format; end it in .tsv, .tsv.gz, .tfrecord, .tfrecord.gz, .vcf, .vcf.gz "
                     "or .bcf (or give - for TSV on stdout)");
  return k;
}

}  // namespace smallcall
