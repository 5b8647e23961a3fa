#include "smallcall/sweep.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "smallcall/engine.hpp"
#include "smallcall/error.hpp"
#include "smallcall/gate.hpp"
#include "smallcall/model.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/region_grouper.hpp"
#include "smallcall/tfrecord_reader.hpp"

namespace smallcall {

uint64_t SweepResult::accepted(int type, int t, const std::array<std::array<uint64_t, kMaxGq + 1>, 2>& counts) const {
  uint64_t n = 0;
  for (int b = std::max(t, 0); b <= kMaxGq; ++b) n += counts[type][b];
  return n;
}

SweepResult run_sweep(const SweepOptions& o) {
  const Model model = load_model(o.model_path);
  Engine engine(model, EngineOptions{EngineOptions{}.tile_rows, o.threads});
  require_self_test(model, engine);
  std::unique_ptr<RowReader> reader = open_row_reader(o.input, model.features);
  RegionGrouper grouper(*reader, engine.tile_rows(), 1000);
  RowTile tile;
  tile.reset(engine.tile_rows(), model.num_features());
  std::vector<float> p(engine.tile_rows() * 3);
  SweepResult r;
  const GateThresholds no_gate{0, 0, true};
  while (grouper.next(tile)) {
    engine.forward(tile.features.data(), tile.size, p.data());
    for (std::size_t i = 0; i < tile.size; ++i) {
      const CandidateId& id = tile.ids[i];
      const GateDecision d = gate_row(&p[3 * i], id.is_snp, false, no_gate);
      const int type = id.is_snp ? 0 : 1;
      const int bin = std::clamp(static_cast<int>(std::floor(d.score)), 0, SweepResult::kMaxGq);
      ++r.rows[type][bin];
      ++r.total_rows;
      if (id.label >= 0) {
        ++r.labelled[type][bin];
        ++r.labelled_rows;
        if (d.genotype == id.label) ++r.correct[type][bin];
      } else if (o.require_labels) {
        throw DataError(reader->path() + ": row " + std::to_string(id.record) +
                        " has no label (a `label` column or label/encoded), and --labels was given");
      }
    }
  }
  return r;
}

nlohmann::json sweep_to_json(const SweepResult& r) {
  nlohmann::json j;
  j["rows"] = r.total_rows;
  j["labelled_rows"] = r.labelled_rows;
  j["thresholds"] = nlohmann::json::array();
  for (int t = 0; t <= SweepResult::kMaxGq; ++t) j["thresholds"].push_back(t);
  const char* names[2] = {"snp", "indel"};
  for (int type = 0; type < 2; ++type) {
    nlohmann::json k;
    const uint64_t all = r.accepted(type, 0, r.rows);
    k["rows"] = all;
    for (int t = 0; t <= SweepResult::kMaxGq; ++t) {
      const uint64_t acc = r.accepted(type, t, r.rows);
      const uint64_t lab = r.accepted(type, t, r.labelled);
      const uint64_t ok = r.accepted(type, t, r.correct);
      k["accepted"].push_back(acc);
      k["accepted_fraction"].push_back(all ? static_cast<double>(acc) / all : 0.0);
      k["labelled_accepted"].push_back(lab);
      k["correct_accepted"].push_back(ok);
      k["agreement"].push_back(lab ? nlohmann::json(static_cast<double>(ok) / lab) : nlohmann::json());
    }
    j[names[type]] = k;
  }
  return j;
}

std::string sweep_table(const SweepResult& r) {
  std::string out;
  char buf[256];
  const bool labels = r.labelled_rows > 0;
  std::snprintf(buf, sizeof buf, "# %llu rows (%llu SNP, %llu indel)%s\n", static_cast<unsigned long long>(r.total_rows),
                static_cast<unsigned long long>(r.accepted(0, 0, r.rows)),
                static_cast<unsigned long long>(r.accepted(1, 0, r.rows)),
                labels ? ", genotype agreement among accepted rows from the labels" : ", no labels");
  out += buf;
  out += labels ? "GQ\tsnp_accepted\tsnp_agreement\tindel_accepted\tindel_agreement\n"
                : "GQ\tsnp_accepted\tindel_accepted\n";
  for (int t = 0; t <= SweepResult::kMaxGq; ++t) {
    std::string line = std::to_string(t);
    for (int type = 0; type < 2; ++type) {
      const uint64_t all = r.accepted(type, 0, r.rows), acc = r.accepted(type, t, r.rows);
      std::snprintf(buf, sizeof buf, "\t%.4f", all ? static_cast<double>(acc) / all : 0.0);
      line += buf;
      if (labels) {
        const uint64_t lab = r.accepted(type, t, r.labelled), ok = r.accepted(type, t, r.correct);
        if (lab) std::snprintf(buf, sizeof buf, "\t%.6f", static_cast<double>(ok) / lab);
        else std::snprintf(buf, sizeof buf, "\tNA");
        line += buf;
      }
    }
    out += line + "\n";
  }
  return out;
}

namespace {
std::string plot_script() {
  if (const char* dir = std::getenv("SMALLCALL_SCRIPTS")) return std::string(dir) + "/plot_sweep.py";
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::string dir = n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : std::string();
  const std::string beside = dir.substr(0, dir.rfind('/')) + "/../scripts/plot_sweep.py";
  if (::access(beside.c_str(), R_OK) == 0) return beside;
  return SMALLCALL_SOURCE_DIR "/scripts/plot_sweep.py";
}
}  // namespace

void write_sweep_outputs(const SweepResult& r, const std::string& json_path, const std::string& plot_path) {
  // The plot script reads the JSON: without --json it goes beside the plot and is removed.
  const std::string json = json_path.empty() && !plot_path.empty() ? plot_path + ".json" : json_path;
  if (!json.empty()) {
    OutputFile out(json, Compression::kNone);
    out.write(sweep_to_json(r).dump(1) + "\n");
    out.publish();
  }
  if (plot_path.empty()) return;
  const std::string cmd = "/usr/bin/python3 '" + plot_script() + "' '" + json + "' '" + plot_path + "'";
  const int status = std::system(cmd.c_str());
  if (json_path.empty()) std::remove(json.c_str());
  if (status != 0) throw DataError(plot_path + ": plotting failed (needs python3-matplotlib)");
}

}  // namespace smallcall
