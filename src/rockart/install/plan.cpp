// SPDX-License-Identifier: MIT
#include <rockart/install/plan.hpp>

#include <algorithm>
#include <map>

namespace rockart::install {

namespace {

bool share_a_path(const AppliedArchive& a, const AppliedArchive& b) {
  // Both lists are sorted.
  auto i = a.paths.begin();
  auto j = b.paths.begin();
  while (i != a.paths.end() && j != b.paths.end()) {
    if (*i == *j) {
      return true;
    }
    *i < *j ? ++i : ++j;
  }
  return false;
}

} // namespace

std::vector<std::string> InstallPlan::apply_order() const {
  std::vector<std::string> order = restore;
  std::vector<std::string> fresh = add;
  fresh.insert(fresh.end(), update.begin(), update.end());
  std::sort(fresh.begin(), fresh.end());
  order.insert(order.end(), fresh.begin(), fresh.end());
  return order;
}

bool InstallPlan::changes_nothing() const {
  return add.empty() && update.empty() && remove.empty() && restore.empty();
}

std::string plan_line(const InstallPlan& plan) {
  std::string line = "Install plan: keep " + std::to_string(plan.keep.size()) + ", add "
                     + std::to_string(plan.add.size()) + ", update "
                     + std::to_string(plan.update.size()) + ", remove "
                     + std::to_string(plan.remove.size());
  if (!plan.restore.empty()) {
    line += ", restore " + std::to_string(plan.restore.size());
  }
  return line;
}

InstallPlan plan_install(const InstallState& state, const std::vector<WantedArchive>& wanted) {
  InstallPlan plan;
  std::map<std::string, const WantedArchive*> by_name;
  for (const auto& archive : wanted) {
    by_name.emplace(archive.name, &archive);
  }
  std::vector<const AppliedArchive*> kept;
  std::vector<const AppliedArchive*> dropped; // removed, or replaced by a new version
  for (const auto& record : state.archives) {
    const auto it = by_name.find(record.name);
    if (it == by_name.end()) {
      plan.remove.push_back(record.name);
      dropped.push_back(&record);
    } else if (record.complete && record.digest == it->second->digest) {
      plan.keep.push_back(record.name);
      kept.push_back(&record);
    } else {
      plan.update.push_back(record.name);
      dropped.push_back(&record);
    }
  }
  for (const auto& [name, archive] : by_name) {
    if (state.find(name) == nullptr) {
      plan.add.push_back(name);
    }
  }

  // Restores, to a fixed point: a kept archive is restored when an archive
  // applied after it that goes away (or is applied again) shares a path with it.
  std::vector<const AppliedArchive*> restored;
  std::vector<const AppliedArchive*> overwriting = dropped;
  bool grew = true;
  while (grew) {
    grew = false;
    for (const AppliedArchive* candidate : kept) {
      if (std::find(restored.begin(), restored.end(), candidate) != restored.end()) {
        continue;
      }
      const bool hit =
          std::any_of(overwriting.begin(), overwriting.end(), [&](const AppliedArchive* other) {
            return other->sequence > candidate->sequence && share_a_path(*other, *candidate);
          });
      // A restored archive is applied anew, so it overwrites every later one it overlaps.
      const bool behind_restored =
          std::any_of(restored.begin(), restored.end(), [&](const AppliedArchive* other) {
            return other->sequence < candidate->sequence && share_a_path(*other, *candidate);
          });
      if (hit || behind_restored) {
        restored.push_back(candidate);
        grew = true;
      }
    }
  }
  std::sort(restored.begin(), restored.end(), [](const auto* a, const auto* b) {
    return a->sequence < b->sequence;
  });
  for (const AppliedArchive* record : restored) {
    plan.restore.push_back(record->name);
  }
  return plan;
}

std::vector<std::string> paths_to_delete(const InstallState& state,
                                         const std::set<std::string>& removing) {
  std::set<std::string> held;
  std::set<std::string> candidates;
  for (const auto& record : state.archives) {
    const bool gone = removing.contains(record.name);
    for (const auto& path : record.paths) {
      (gone ? candidates : held).insert(path);
    }
    candidates.insert(record.stale.begin(), record.stale.end());
  }
  std::vector<std::string> result;
  std::set_difference(
      candidates.begin(), candidates.end(), held.begin(), held.end(), std::back_inserter(result));
  return result;
}

} // namespace rockart::install
