#pragma once
// What a file name says: its format and compression, from the name's suffix only
// (case-insensitive; never from a match in the middle of the name). One helper per rule.
#include <string>

namespace smallcall {

enum class FileFormat { kUnknown, kTsv, kTfRecord, kVcf, kBcf };

struct PathKind {
  FileFormat format = FileFormat::kUnknown;
  bool compressed = false;  // a ".gz" or ".bgz" suffix
};

// The kind of `path`: an optional ".gz"/".bgz" compression suffix, an optional DeepVariant
// shard suffix ("-00003-of-00016"), then ".tsv", ".tfrecord"/".tfrecords", ".vcf" or ".bcf".
// "x.tfrecord-00003-of-00016.gz" is a compressed TFRecord; "rows.tfrecord.gz.acc.tsv" is TSV.
PathKind path_kind(const std::string& path);

// true when `path` ends with `suffix`, ignoring ASCII case.
bool has_suffix(const std::string& path, const std::string& suffix);

// The format of an output named `path`: its kind; "-" (stdout) and /dev/null are TSV. Throws UsageError
// naming `flag` when the name says no format (or says ".bcf.gz"), rather than guessing.
PathKind output_kind(const std::string& path, const std::string& flag);

}  // namespace smallcall
