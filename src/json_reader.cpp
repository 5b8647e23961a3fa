#include "smallcall/json_reader.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

namespace smallcall {

namespace {

using nlohmann::json;

// Recursive descent over the plain subset. Every method returns false ("not plain") at the
// first byte it does not take; the caller then asks nlohmann.
class PlainParser {
 public:
  explicit PlainParser(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool parse(json& out) {
    skip_space();
    if (!value(out, 0)) return false;
    skip_space();
    return p_ == end_;
  }

 private:
  static constexpr int kMaxDepth = 64;  // deeper: nlohmann's iterative parser takes it

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return depth < kMaxDepth && object(out, depth + 1);
      case '[': return depth < kMaxDepth && array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': return literal("true", json(true), out);
      case 'f': return literal("false", json(false), out);
      case 'n': return literal("null", json(nullptr), out);
      default: return number(out);
    }
  }

  bool literal(std::string_view word, json v, json& out) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    out = std::move(v);
    return true;
  }

  // ASCII without escapes or control characters; anything else goes to nlohmann (escapes,
  // UTF-8 validation).
  bool string(std::string& s) {
    const char* start = ++p_;
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        s.assign(start, p_);
        ++p_;
        return true;
      }
      if (c < 0x20 || c >= 0x80 || c == '\\') return false;
      ++p_;
    }
    return false;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // JSON's grammar exactly; integers as nlohmann stores them (unsigned when not negative,
  // signed when negative, a double when they overflow 64 bits), others as doubles, correctly
  // rounded as strtod rounds them. An out-of-range double is left to nlohmann (its error).
  bool number(json& out) {
    const char* start = p_;
    const bool negative = p_ != end_ && *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && is_digit(*p_)) ++p_;
    } else {
      return false;
    }
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (integer) {
      if (negative) {
        std::int64_t v = 0;
        const auto r = std::from_chars(start, p_, v);
        if (r.ec == std::errc() && r.ptr == p_) {
          out = v;
          return true;
        }
      } else {
        std::uint64_t v = 0;
        const auto r = std::from_chars(start, p_, v);
        if (r.ec == std::errc() && r.ptr == p_) {
          out = v;
          return true;
        }
      }
    }
    double d = 0;
    const auto r = std::from_chars(start, p_, d);
    if (r.ec != std::errc() || r.ptr != p_) return false;
    out = d;
    return true;
  }

  // The items of an array or the members of an object, `item` reading one: separated by
  // commas, up to `close`.
  template <typename Item>
  bool sequence(char close, Item item) {
    ++p_;
    skip_space();
    if (p_ != end_ && *p_ == close) {
      ++p_;
      return true;
    }
    while (true) {
      if (!item()) return false;
      skip_space();
      if (p_ == end_) return false;
      if (*p_ == close) {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_space();
    }
  }

  bool array(json& out, int depth) {
    out = json::array();
    auto& items = out.get_ref<json::array_t&>();
    return sequence(']', [&] {
      items.emplace_back();
      return value(items.back(), depth);
    });
  }

  bool object(json& out, int depth) {
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    return sequence('}', [&] {
      std::string key;
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      skip_space();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_space();
      json v;
      if (!value(v, depth)) return false;
      members[key] = std::move(v);  // a repeated key: the last wins, as in nlohmann
      return true;
    });
  }

  const char* p_;
  const char* end_;
};

}  // namespace

std::optional<json> parse_json_plain(std::string_view text) {
  json out;
  if (!PlainParser(text).parse(out)) return std::nullopt;
  return out;
}

json parse_json(std::string_view text) {
  if (auto plain = parse_json_plain(text)) return std::move(*plain);
  return json::parse(text.begin(), text.end());
}

}  // namespace smallcall
