#pragma once
// Two JSON values equal node for node, types included: dump() prints 1 for a signed and an
// unsigned integer alike, and the model reader tells them apart (integer thresholds).
#include <nlohmann/json.hpp>

namespace testutil {

inline bool same_json(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_json(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !same_json(ia.value(), ib.value())) return false;
    return true;
  }
  return a.dump() == b.dump();
}

}  // namespace testutil
