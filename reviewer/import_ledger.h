#pragma once
// import_ledger.h: what the workstation remembers of each gateway node's
// exports, to report what a compromised gateway or a tampered medium might
// hide: gaps (sequence numbers the node assigned but no export ever carried)
// and replays (an export number seen before).

#include <cstdint>
#include <string>
#include <vector>

#include "proto/workstation.pb.h"

namespace amparo::reviewer {

// SeqRange is an inclusive range of sequence numbers.
struct SeqRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

// RecordExport adds an export's sequence numbers to the node's ledger and
// returns the gaps it reveals: numbers below next_seq that no export to this
// workstation ever carried. Each gap is reported once: the ledger then counts
// it as seen, so that the ledger stays small.
std::vector<SeqRange> RecordExport(v1::PinnedNode& node, const std::vector<std::uint64_t>& seqs,
                                   std::uint64_t next_seq);

// DescribeRanges renders "3, 7-9".
std::string DescribeRanges(const std::vector<SeqRange>& ranges);

}  // namespace amparo::reviewer
