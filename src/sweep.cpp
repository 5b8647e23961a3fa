#include "smallcall/sweep.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "smallcall/engine.hpp"
#include "smallcall/error.hpp"
#include "smallcall/gate.hpp"
#include "smallcall/model.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/region_grouper.hpp"
#include "smallcall/row_reader.hpp"

namespace smallcall {

namespace {

// The rows of one candidate, with what the gate reads of each.
struct CandidateRows {
  std::vector<Row> rows;  // the gate's inputs only: type, multi-allelic, realignment flags
  std::vector<double> scores;
  std::vector<int> genotypes, labels;
  std::vector<GateDecision> decisions;
  std::size_t size = 0;
  Row key;  // contig, start, ref of the candidate
  SubsetCheck check;

  void add(const Row& row, const GateDecision& d) {
    if (size == rows.size()) {
      rows.emplace_back();
      scores.emplace_back();
      genotypes.emplace_back();
      labels.emplace_back();
      decisions.emplace_back();
    }
    if (size == 0) {
      key = row;
      check.clear();
    }
    check.add(row);
    rows[size].is_snp = row.is_snp;
    rows[size].is_multiallelic = row.is_multiallelic;
    rows[size].realignment_sensitive = row.realignment_sensitive;
    scores[size] = d.score;
    genotypes[size] = d.genotype;
    labels[size] = row.label;
    ++size;
  }

  // Counts, for each threshold of each type, the rows of that type the gate accepts.
  void count(SweepResult& r) {
    const bool complete = check.complete();
    for (int type = 0; type < 2; ++type) {
      for (int t = 0; t <= SweepResult::kMaxGq; ++t) {
        GateThresholds th = r.held;
        (type == 0 ? th.snp : th.indel) = t;
        for (std::size_t i = 0; i < size; ++i) decisions[i].outcome = gate_outcome(scores[i], rows[i], th);
        route_candidate(decisions.data(), size, complete);
        for (std::size_t i = 0; i < size; ++i) {
          if (rows[i].is_snp != (type == 0) || decisions[i].outcome != GateOutcome::kAccepted) continue;
          ++r.accepted[type][t];
          if (labels[i] < 0) continue;
          ++r.labelled[type][t];
          if (genotypes[i] == labels[i]) ++r.correct[type][t];
        }
      }
    }
    size = 0;
  }
};

}  // namespace

SweepResult run_sweep(const SweepOptions& o) {
  const Model model = load_model(o.model_path);
  Engine engine(model, EngineOptions{EngineOptions{}.tile_rows, o.threads});
  require_self_test(model, engine);
  std::unique_ptr<RowReader> reader = open_row_reader(o.source.input, model.features, o.source.small_model_info);
  RegionGrouper grouper(*reader, engine.tile_rows(), o.source.partition_size);
  RowTile tile;
  tile.reset(engine.tile_rows(), model.num_features());
  std::vector<float> p(engine.tile_rows() * 3);
  SweepResult r;
  r.held = gate_thresholds(o.gate, model.gate_snp_gq_threshold, model.gate_indel_gq_threshold);
  CandidateRows candidate;
  while (grouper.next(tile)) {
    engine.forward(tile.features.data(), tile.size, p.data());
    for (std::size_t i = 0; i < tile.size; ++i) {
      const Row& row = tile.rows[i];
      if (candidate.size && !same_candidate(candidate.key, row)) candidate.count(r);
      candidate.add(row, gate_row(&p[3 * i], row, r.held));
      ++r.rows[row.is_snp ? 0 : 1];
      ++r.total_rows;
      if (row.label >= 0) {
        ++r.labelled_rows;
      } else if (o.require_labels) {
        throw DataError(reader->path() + ": row " + std::to_string(row.record) +
                        " has no label (a `label` column or label/encoded), and --labels was given");
      }
    }
  }
  if (candidate.size) candidate.count(r);
  return r;
}

nlohmann::json sweep_to_json(const SweepResult& r) {
  nlohmann::json j;
  j["rows"] = r.total_rows;
  j["labelled_rows"] = r.labelled_rows;
  j["thresholds"] = nlohmann::json::array();
  for (int t = 0; t <= SweepResult::kMaxGq; ++t) j["thresholds"].push_back(t);
  j["held_thresholds"] = {{"snp_gq", r.held.snp}, {"indel_gq", r.held.indel},
                          {"call_multiallelics", r.held.call_multiallelics},
                          {"realignment_sensitive_to_remainder", r.held.realignment_sensitive_to_remainder}};
  const char* names[2] = {"snp", "indel"};
  for (int type = 0; type < 2; ++type) {
    nlohmann::json k;
    const uint64_t all = r.rows[type];
    k["rows"] = all;
    for (int t = 0; t <= SweepResult::kMaxGq; ++t) {
      const uint64_t acc = r.accepted[type][t], lab = r.labelled[type][t], ok = r.correct[type][t];
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
  char buf[512];
  const bool labels = r.labelled_rows > 0;
  std::snprintf(buf, sizeof buf,
                "# %llu rows (%llu SNP, %llu indel)%s; SNP columns with the indel threshold at %d, indel columns "
                "with the SNP threshold at %d, whole candidates, as `call` routes them\n",
                static_cast<unsigned long long>(r.total_rows), static_cast<unsigned long long>(r.rows[0]),
                static_cast<unsigned long long>(r.rows[1]),
                labels ? ", genotype agreement among accepted rows from the labels" : ", no labels", r.held.indel,
                r.held.snp);
  out += buf;
  out += labels ? "GQ\tsnp_accepted\tsnp_agreement\tindel_accepted\tindel_agreement\n"
                : "GQ\tsnp_accepted\tindel_accepted\n";
  for (int t = 0; t <= SweepResult::kMaxGq; ++t) {
    std::string line = std::to_string(t);
    for (int type = 0; type < 2; ++type) {
      const uint64_t all = r.rows[type], acc = r.accepted[type][t];
      std::snprintf(buf, sizeof buf, "\t%.4f", all ? static_cast<double>(acc) / all : 0.0);
      line += buf;
      if (labels) {
        const uint64_t lab = r.labelled[type][t], ok = r.correct[type][t];
        if (lab) std::snprintf(buf, sizeof buf, "\t%.6f", static_cast<double>(ok) / lab);
        else std::snprintf(buf, sizeof buf, "\tNA");
        line += buf;
      }
    }
    out += line + "\n";
  }
  return out;
}

extern "C" char** environ;

namespace {

// plot_sweep.py beside the binary: the build copies it there, `cmake --install` puts it in
// PREFIX/share/smallcall next to PREFIX/bin.
std::string plot_script() {
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  const std::string path = n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : std::string();
  const std::string dir = path.substr(0, path.rfind('/'));
  for (const std::string& candidate : {dir + "/plot_sweep.py", dir + "/../share/smallcall/plot_sweep.py"})
    if (::access(candidate.c_str(), R_OK) == 0) return candidate;
  throw DataError("plot_sweep.py is neither beside " + path + " nor in ../share/smallcall (reinstall smallcall)");
}

// Runs /usr/bin/python3 with `args`, without a shell; its exit status (or -1).
int run_python(const std::vector<std::string>& args) {
  std::vector<char*> argv{const_cast<char*>("/usr/bin/python3")};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

void write_sweep_outputs(const SweepResult& r, const SweepOptions& o) {
  const std::string text = sweep_to_json(r).dump(1) + "\n";
  if (!o.json.empty()) {
    OutputFile out(o.json, Compression::kNone);
    out.write(text);
    out.publish();
  }
  if (o.plot.empty()) return;
  // The plot script reads the numbers from a JSON file: --json's, else a temporary one.
  std::unique_ptr<TempPath> temp;
  std::string json = o.json;
  if (json.empty()) {
    temp = TempPath::new_file(o.plot + ".json");
    const int fd = temp->take_fd();
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw DataError(temp->path() + ": write failed: " + std::strerror(errno ? errno : EIO));
    json = temp->path();
  }
  OutputFile png(o.plot, Compression::kNone);  // a temporary name the script draws into
  png.close();
  if (run_python({plot_script(), json, png.written_path()}) != 0)
    throw DataError(o.plot + ": plotting failed (needs python3-matplotlib)");
  png.publish();
}

}  // namespace smallcall
