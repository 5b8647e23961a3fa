#pragma once
// smallcall's command lines with absl's flag semantics (DeepVariant's tools parse theirs
// with abseil-py), turned into a command line CLI11 parses with each flag at most once:
//
// - --flagfile=FILE: one argument per line, stripped; blank lines and lines starting with
//   '#' or '//' skipped; nested flag files expanded in place (an include cycle is skipped with
//   a warning); `--flagfile FILE` (space form) on the command line only.
// - The last occurrence of a flag wins, across flag files and the command line.
// - Booleans: --X, --noX, --X=true|false|t|f|1|0 (any case), for every boolean flag;
//   --noX=value is an error. Other flags: --X=value, or --X value on the command line.
// - --undefok=a,b: unknown flags with those names (or noNAME) are dropped.
// - -name is --name.
// - For commands that take DeepVariant's make_examples flags (`call`, `features`): every
//   make_examples flag is accepted (deepvariant_flags.hpp) — ignored and named in a note,
//   or refused with "DeepVariant flag --X is not supported: why" unless it has DeepVariant's
//   default — and --checkpoint_json FILE applies the JSON's `flags_for_calling` as
//   make_examples does: the command line and flag files win over it, it wins over defaults,
//   and a key that is not a make_examples flag is an error.
//
// Errors name where the flag came from ("flags.txt:3: ...", "the command line: ...").
#include <map>
#include <set>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace smallcall {

// How a subcommand treats DeepVariant's flags.
struct FlagRules {
  bool make_examples_flags = false;  // accept make_examples' flags and --checkpoint_json
  bool gate_flags_ignored = false;   // accept the small-model gate flags and ignore them (`features`)
  // Options that apply to --reads only: from --checkpoint_json with --input they are ignored.
  std::set<std::string> reads_only;
};

struct AbslCommandLine {
  std::vector<std::string> args;     // for CLI11, without the program name
  std::vector<std::string> ignored;  // DeepVariant flags accepted without effect ("--examples")
  // Where each flag given came from ("the command line", "flags.txt:3",
  // "m.example_info.json flags_for_calling"), by name, for messages.
  std::map<std::string, std::string> origin;
};

// `argv` without the program name; `rules` by subcommand name. Throws UsageError.
AbslCommandLine absl_command_line(const std::vector<std::string>& argv, const CLI::App& app,
                                  const std::map<std::string, FlagRules>& rules);

}  // namespace smallcall
