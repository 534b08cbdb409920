#include "reviewer/import_ledger.h"

#include <algorithm>
#include <set>

namespace amparo::reviewer {

std::vector<SeqRange> RecordExport(v1::PinnedNode& node, const std::vector<std::uint64_t>& seqs,
                                   std::uint64_t next_seq) {
  std::set<std::uint64_t> seen(node.seen_above().begin(), node.seen_above().end());
  const std::uint64_t through = node.imported_through_seq();
  for (std::uint64_t seq : seqs) {
    if (seq > through) seen.insert(seq);
  }
  // Walk the seen numbers, not every integer: a node's next_seq is only as
  // honest as the node, and may be huge.
  std::vector<SeqRange> gaps;
  const std::uint64_t last_assigned = next_seq > 0 ? next_seq - 1 : 0;
  std::uint64_t expected = through + 1;
  for (std::uint64_t seq : seen) {
    if (seq > last_assigned) break;
    if (seq > expected) gaps.push_back({expected, seq - 1});
    expected = seq + 1;
  }
  if (expected <= last_assigned) gaps.push_back({expected, last_assigned});
  // Everything up to the last assigned number is now accounted for: seen,
  // or reported missing.
  const std::uint64_t new_through = std::max(through, last_assigned);
  node.set_imported_through_seq(new_through);
  node.clear_seen_above();
  for (std::uint64_t seq : seen) {
    if (seq > new_through) node.add_seen_above(seq);
  }
  return gaps;
}

std::string DescribeRanges(const std::vector<SeqRange>& ranges) {
  std::string text;
  for (const auto& range : ranges) {
    if (!text.empty()) text += ", ";
    text += std::to_string(range.first);
    if (range.last != range.first) text += "-" + std::to_string(range.last);
  }
  return text;
}

}  // namespace amparo::reviewer
