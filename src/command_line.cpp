#include "smallcall/command_line.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <optional>

#include "smallcall/deepvariant_flags.hpp"
#include "smallcall/error.hpp"

namespace smallcall {

namespace {

constexpr const char* kCommandLine = "the command line";

struct Arg {
  std::string text;
  std::string where;
  bool from_file = false;
};

std::string strip(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "--name=value" / "-name": the name and, after '=', the value. False for non-flags.
bool split_flag(const std::string& a, std::string& name, std::optional<std::string>& value) {
  if (a.size() < 2 || a[0] != '-' || a == "--") return false;
  const std::size_t dashes = a[1] == '-' ? 2 : 1;
  const std::size_t eq = a.find('=');
  name = a.substr(dashes, eq == std::string::npos ? std::string::npos : eq - dashes);
  if (eq != std::string::npos) value = a.substr(eq + 1);
  else value.reset();
  return !name.empty();
}

// absl's --flagfile: one argument per stripped line; comments and blank lines skipped;
// nested files expanded in place; an include cycle skipped with a warning.
void expand_flagfile(const std::string& path, const std::string& where, std::vector<Arg>& out,
                     std::vector<std::string>& stack) {
  if (std::find(stack.begin(), stack.end(), path) != stack.end()) {
    std::cerr << "smallcall: warning: " << where << ": --flagfile=" << path
              << " is already being read (a cycle); skipped\n";
    return;
  }
  std::ifstream in(path);
  if (!in) throw UsageError(where + ": --flagfile " + path + ": cannot open");
  stack.push_back(path);
  std::string line;
  unsigned long long n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string a = strip(line);
    if (a.empty() || a[0] == '#' || a.rfind("//", 0) == 0) continue;
    const std::string loc = path + ":" + std::to_string(n);
    std::string name;
    std::optional<std::string> value;
    if (split_flag(a, name, value) && name == "flagfile") {
      if (!value) throw UsageError(loc + ": --flagfile needs =FILE inside a flag file");
      expand_flagfile(*value, loc, out, stack);
      continue;
    }
    out.push_back({a, loc, true});
  }
  stack.pop_back();
}

std::vector<Arg> expand(const std::vector<std::string>& argv) {
  std::vector<Arg> out;
  std::vector<std::string> stack;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string name;
    std::optional<std::string> value;
    if (split_flag(argv[i], name, value) && name == "flagfile") {
      if (!value) {
        if (i + 1 >= argv.size()) throw UsageError("the command line: --flagfile needs a file");
        value = argv[++i];
      }
      expand_flagfile(*value, kCommandLine, out, stack);
      continue;
    }
    out.push_back({argv[i], kCommandLine, false});
  }
  return out;
}

bool parse_bool(const std::string& v, bool& out) {
  const std::string l = lower(v);
  if (l == "true" || l == "t" || l == "1") return out = true, true;
  if (l == "false" || l == "f" || l == "0") return out = false, true;
  return false;
}

// One flag as given last: a smallcall option or a DeepVariant flag smallcall does not have.
struct Setting {
  const CLI::Option* option = nullptr;
  const DvFlag* dv = nullptr;
  std::string name;  // the canonical name (an option's first long name)
  std::string value;
  std::string where;
  bool from_json = false;
};

class Settings {
 public:
  Setting* find(const std::string& name) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &list_[it->second];
  }
  // The last occurrence wins; the first occurrence keeps the position.
  void set(Setting s) {
    if (Setting* old = find(s.name)) {
      *old = std::move(s);
      return;
    }
    index_.emplace(s.name, list_.size());
    list_.push_back(std::move(s));
  }
  void erase(const std::string& name) {
    auto it = index_.find(name);
    if (it == index_.end()) return;
    list_[it->second].name.clear();
    index_.erase(it);
  }
  const std::vector<Setting>& list() const { return list_; }

 private:
  std::vector<Setting> list_;
  std::map<std::string, std::size_t> index_;
};

std::string json_value_text(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return v.dump();
  throw UsageError("");
}

}  // namespace

AbslCommandLine absl_command_line(const std::vector<std::string>& argv, const CLI::App& app,
                                  const std::map<std::string, FlagRules>& rules) {
  const std::vector<Arg> args = expand(argv);
  AbslCommandLine out;

  // The subcommand: the first word of the command line that is not a flag.
  const CLI::App* sub = nullptr;
  std::size_t sub_index = 0;
  for (std::size_t i = 0; i < args.size() && !sub; ++i)
    if (!args[i].from_file && !args[i].text.empty() && args[i].text[0] != '-') {
      for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
        if (s->get_name() == args[i].text) sub = s, sub_index = i;
      if (!sub) break;
    }
  if (!sub) {  // --help, --version, or a usage error CLI11 words
    for (const Arg& a : args) out.args.push_back(a.text);
    return out;
  }
  const auto r = rules.find(sub->get_name());
  const FlagRules rule = r == rules.end() ? FlagRules{} : r->second;

  std::map<std::string, const CLI::Option*> options;
  std::vector<const CLI::App*> holders{sub};  // the subcommand and its option groups (nameless apps)
  for (std::size_t h = 0; h < holders.size(); ++h) {
    for (const CLI::Option* o : holders[h]->get_options())
      for (const std::string& l : o->get_lnames()) options.emplace(l, o);
    for (const CLI::App* g : holders[h]->get_subcommands([](const CLI::App* a) { return a->get_name().empty(); }))
      holders.push_back(g);
  }
  auto is_flag = [](const CLI::Option* o) { return o->get_expected_max() == 0; };
  auto negation_of = [&](const std::string& name) -> const CLI::Option* {
    // "noX" for a boolean X (whether or not X declares "!--noX").
    if (name.size() <= 2 || name.compare(0, 2, "no") != 0) return nullptr;
    auto it = options.find(name.substr(2));
    return it != options.end() && is_flag(it->second) ? it->second : nullptr;
  };
  auto dv_flag = [&](const std::string& name) -> const DvFlag* {
    if (!rule.make_examples_flags) return nullptr;
    const DvFlag* f = find_dv_flag(name);
    if (!f && rule.gate_flags_ignored) f = find_dv_gate_flag(name);
    return f;
  };

  // --undefok applies wherever it appears.
  std::set<std::string> undefok;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name;
    std::optional<std::string> value;
    if (!split_flag(args[i].text, name, value) || name != "undefok") continue;
    if (!value && i + 1 < args.size() && !args[i].from_file) value = args[i + 1].text;
    std::size_t b = 0;
    const std::string v = value.value_or("");
    while (b <= v.size()) {
      const std::size_t c = v.find(',', b);
      const std::string n = strip(v.substr(b, c == std::string::npos ? std::string::npos : c - b));
      if (!n.empty()) undefok.insert(n);
      if (c == std::string::npos) break;
      b = c + 1;
    }
  }

  Settings settings;
  std::vector<std::string> positional, passthrough;
  std::optional<Arg> checkpoint_json;
  bool rest_positional = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i == sub_index) continue;
    const Arg& a = args[i];
    std::string name;
    std::optional<std::string> value;
    if (rest_positional || !split_flag(a.text, name, value) || a.text == "-") {
      if (a.text == "--" && !rest_positional) {
        rest_positional = true;
        continue;
      }
      if (a.from_file)
        throw UsageError(a.where + ": \"" + a.text + "\" is not a flag (a flag file holds one --name=value per line)");
      positional.push_back(a.text);
      continue;
    }
    if (name == "h" || name == "help" || name == "version") {
      passthrough.push_back(a.text);
      continue;
    }
    auto take_value = [&](const std::string& flag) {
      if (value) return *value;
      if (a.from_file || i + 1 >= args.size() || i + 1 == sub_index)
        throw UsageError(a.where + ": --" + flag + " needs a value" +
                         (a.from_file ? " (--" + flag + "=VALUE on one line)" : ""));
      return args[++i].text;
    };
    if (name == "undefok") {
      if (!value && !a.from_file && i + 1 < args.size()) ++i;
      continue;
    }
    if (rule.make_examples_flags && name == "checkpoint_json") {
      checkpoint_json = Arg{take_value(name), a.where, a.from_file};
      continue;
    }
    auto bool_value = [&](const std::string& flag, bool negated) {
      if (!value) return negated ? std::string("false") : std::string("true");
      if (negated) throw UsageError(a.where + ": --" + name + " does not take an argument");
      bool b = false;
      if (!parse_bool(*value, b))
        throw UsageError(a.where + ": --" + flag + "=" + *value + ": a boolean flag takes true or false (t/f/1/0)");
      return std::string(b ? "true" : "false");
    };
    const CLI::Option* o = nullptr;
    bool negated = false;
    if (auto it = options.find(name); it != options.end()) {
      o = it->second;
      negated = is_flag(o) && negation_of(name) == o && name != o->get_lnames()[0];
    } else if ((o = negation_of(name))) {
      negated = true;
    }
    if (o) {
      const std::string canonical = o->get_lnames()[0];
      const std::string v = is_flag(o) ? bool_value(canonical, negated) : take_value(name);
      settings.set({o, nullptr, canonical, v, a.where, false});
      continue;
    }
    const DvFlag* f = dv_flag(name);
    bool dv_negated = false;
    if (!f && name.size() > 2 && name.compare(0, 2, "no") == 0) {
      f = dv_flag(name.substr(2));
      dv_negated = f && f->boolean;
      if (!dv_negated) f = nullptr;
    }
    if (f) {
      const std::string v = f->boolean ? bool_value(f->name, dv_negated) : take_value(name);
      settings.set({nullptr, f, f->name, v, a.where, false});
      continue;
    }
    if (undefok.count(name) || (name.size() > 2 && name.compare(0, 2, "no") == 0 && undefok.count(name.substr(2))))
      continue;
    throw UsageError(a.where + ": unknown flag --" + name +
                     (name.find(' ') != std::string::npos
                          ? " (a flag file holds one --name=value per line: \"--ref /x\" is one flag named \"ref /x\")"
                          : " for smallcall " + sub->get_name()));
  }

  // --checkpoint_json: flags_for_calling beneath the command line and flag files.
  if (checkpoint_json) {
    const std::string& path = checkpoint_json->text;
    std::ifstream in(path);
    if (!in) throw UsageError(checkpoint_json->where + ": --checkpoint_json " + path + ": cannot open");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw UsageError("--checkpoint_json " + path + ": not JSON: " + e.what());
    }
    const std::string where = path + " flags_for_calling";
    if (j.is_object() && j.contains("flags_for_calling")) {
      const nlohmann::json& flags = j["flags_for_calling"];
      if (!flags.is_object()) throw UsageError(where + ": expected an object of flag values");
      for (const auto& [key, v] : flags.items()) {
        std::string text;
        try {
          text = json_value_text(v);
        } catch (const UsageError&) {
          throw UsageError(where + ": \"" + key + "\" has a value that is not a flag value: " + v.dump());
        }
        auto it = options.find(key);
        const CLI::Option* o = it == options.end() ? nullptr : it->second;
        const DvFlag* f = o ? nullptr : dv_flag(key);
        if (!o && !f)
          throw UsageError(where + ": \"" + key + "\" is not a make_examples flag (make_examples exits on it too)");
        const std::string canonical = o ? o->get_lnames()[0] : std::string(f->name);
        if (settings.find(canonical)) continue;  // the command line wins
        if ((o && is_flag(o)) || (f && f->boolean)) {
          bool b = false;
          if (!parse_bool(text, b)) throw UsageError(where + ": \"" + key + "\" is a boolean flag, not " + v.dump());
          text = b ? "true" : "false";
        }
        settings.set({o, f, canonical, text, where, true});
      }
    }
    // With --input the rows are computed already: the JSON's read and candidate settings
    // have nothing to apply to.
    const Setting* input = settings.find("input");
    if (input && !input->value.empty()) {
      std::vector<std::string> drop;
      for (const Setting& s : settings.list())
        if (!s.name.empty() && s.from_json && (s.dv || rule.reads_only.count(s.name))) drop.push_back(s.name);
      for (const auto& n : drop) {
        settings.erase(n);
        out.ignored.push_back("--" + n);
      }
    }
  }

  // DeepVariant's flags smallcall does not have: ignored, or only their default.
  bool realign = true;
  if (const Setting* s = settings.find("realign_reads")) parse_bool(s->value, realign);
  for (const Setting& s : settings.list()) {
    if (s.name.empty() || !s.dv) continue;
    const DvFlag& f = *s.dv;
    const bool matches = dv_value_matches(f, s.value);
    const std::string given = "--" + s.name + (f.boolean ? (s.value == "true" ? "" : "=false") : "=" + s.value);
    switch (f.kind) {
      case DvFlagKind::kIgnored: out.ignored.push_back("--" + s.name); break;
      case DvFlagKind::kDefaultOnly:
        if (!matches)
          throw UsageError(s.where + ": DeepVariant flag " + given + " is not supported: " + f.why);
        break;
      case DvFlagKind::kRealigner:
        if (!realign) out.ignored.push_back("--" + s.name);
        else if (!matches)
          throw UsageError(s.where + ": DeepVariant flag " + given + " is not supported: " + f.why +
                           " (with --norealign_reads it is accepted and ignored)");
        break;
      case DvFlagKind::kMustBe:
        if (!matches)
          throw UsageError(s.where + ": DeepVariant flag " + given + " is not supported: " + f.why);
        break;
    }
  }

  // The command line for CLI11: each flag once.
  for (std::size_t i = 0; i < sub_index; ++i)
    if (!args[i].from_file && (args[i].text == "--version" || args[i].text == "--help" || args[i].text == "-h"))
      out.args.push_back(args[i].text);
  out.args.push_back(sub->get_name());
  for (const auto& p : passthrough) out.args.push_back(p);
  for (const Setting& s : settings.list()) {
    if (s.name.empty()) continue;
    out.origin["--" + s.name] = s.where;
    if (s.option) out.args.push_back("--" + s.name + "=" + s.value);
  }
  if (!positional.empty()) {
    out.args.push_back("--");
    for (const auto& p : positional) out.args.push_back(p);
  }
  std::sort(out.ignored.begin(), out.ignored.end());
  out.ignored.erase(std::unique(out.ignored.begin(), out.ignored.end()), out.ignored.end());
  return out;
}

}  // namespace smallcall
