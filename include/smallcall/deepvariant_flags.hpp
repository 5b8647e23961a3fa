#pragma once
// DeepVariant's make_examples flags (r1.9 make_examples_options.py, make_examples.py,
// realigner/realigner.py; r1.10 additions) that smallcall does not implement as its own
// flags, each with what smallcall does with it: ignore it (it changes only the large model's
// pileup images, gVCF records, logging or file paths), or accept only DeepVariant's default
// (it would change candidates or features in a way smallcall does not compute). The flags
// smallcall implements (--regions, --exclude_regions, --min_mapping_quality, the small-model
// flags, ...) are ordinary options of `call` and `features`.
#include <string>
#include <string_view>
#include <vector>

namespace smallcall {

enum class DvFlagKind {
  kIgnored,      // no effect on smallcall's rows or calls: accepted, named in a note
  kDefaultOnly,  // accepted only with DeepVariant's default value
  kRealigner,    // a realigner setting: any value with --norealign_reads, else the default only
  kMustBe,       // accepted only with this value (--mode calling)
};

struct DvFlag {
  const char* name;
  bool boolean;
  const char* value;  // DeepVariant's default (kDefaultOnly, kRealigner), the value required (kMustBe)
  DvFlagKind kind;
  const char* why;  // why it is ignored, or why another value is not supported
};

// The make_examples flag named `name` ("phase_reads"), or nullptr.
const DvFlag* find_dv_flag(std::string_view name);

// The small-model flags `features` accepts and ignores (the gate is `call`'s), or nullptr.
const DvFlag* find_dv_gate_flag(std::string_view name);

// Every entry of the table, in order (for tests).
std::vector<const DvFlag*> dv_flags();

// Whether `value` (as given: "0.0", "False", "", ...) is the flag's default / required value.
bool dv_value_matches(const DvFlag& flag, const std::string& value);

}  // namespace smallcall
