// Fuzzes the keystore's plaintext, the Keystore message that amparo-review
// reads once the keystore box opened (keystore_file covers the framing and
// the box). Keystore::Open parses it with ParseFromArray and accepts schema
// 1 only; that step sits inside Open, after the passphrase's Argon2id, so it
// is done here the same way, and what follows is the workstation's own code
// on what it parsed:
//   LoadKeyRing: accepts exactly the keystores whose kept secret keys all
//     parse, and each key re-encodes to the text it was read from;
//   FindCase, GoverningCase, CasesOnlyOpenedBy: find only what they claim;
//   LinkAdditions: links an addition only to a case of its own with the same
//     mailbox and reply key, and a second pass links nothing more;
//   RecordExport, of the cases' numbers against each pinned node's ledger:
//     the gaps are ordered, disjoint, above what was imported through,
//     within what the node assigned, and hold no number seen; the ledger
//     keeps only numbers seen above its new mark, in increasing order;
//   WipeSecrets: leaves no root seed and no secret key.
// Not called: the functions that assume a keystore the workstation wrote
// itself (a root, 32-byte keys, 64-byte endorsements), such as
// FirstRootFingerprint or CurrentRootKey; see fuzz/README.md.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <google/protobuf/stubs/logging.h>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "fuzz/fuzz_support.h"
#include "proto/workstation.pb.h"
#include "reviewer/case_access.h"
#include "reviewer/case_files.h"
#include "reviewer/followup_cases.h"
#include "reviewer/import_ledger.h"
#include "reviewer/key_ceremony.h"
#include "reviewer/keystore.h"

namespace {

namespace reviewer = amparo::reviewer;
namespace v1 = amparo::v1;
using amparo::fuzz::Check;

void CheckKeyRing(const v1::Keystore& keystore) {
  const auto ring = reviewer::LoadKeyRing(keystore);
  std::vector<const v1::WorkstationKey*> kept;
  bool all_parse = true;
  for (const auto& key : keystore.keys()) {
    if (key.secret_key().empty()) continue;
    kept.push_back(&key);
    all_parse = all_parse && amparo::crypto::age::X25519Identity::Parse(key.secret_key()).ok();
  }
  Check(ring.ok() == all_parse);
  if (!ring.ok()) return;
  Check(ring.value().ids.size() == kept.size() && ring.value().identities.size() == kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    Check(ring.value().ids[i] == kept[i]->key_id());
    const auto secret = ring.value().identities[i].EncodeSecret();
    Check(std::string(amparo::AsText(secret.span())) == kept[i]->secret_key());
  }
}

void CheckCaseLookups(const v1::Keystore& keystore) {
  for (const auto& imported : keystore.cases()) {
    const v1::ImportedCase* found = reviewer::FindCase(keystore, reviewer::CaseHex(imported.envelope_id()));
    Check(found != nullptr && found->envelope_id() == imported.envelope_id());
    const v1::ImportedCase* governing = reviewer::GoverningCase(keystore, imported);
    if (!imported.adds_to_case()) {
      Check(governing == &imported);
    } else if (governing != nullptr) {
      Check(!governing->adds_to_case() && governing->envelope_id() == imported.adds_to());
    }
  }
  for (const auto& key : keystore.keys()) {
    Check(reviewer::CasesOnlyOpenedBy(keystore, key.key_id()) <=
          static_cast<std::size_t>(keystore.cases_size()));
  }
}

void CheckLinks(const v1::Keystore& keystore) {
  v1::Keystore linked = keystore;
  const std::size_t count = reviewer::LinkAdditions(linked);
  std::size_t changed = 0;
  bool ids_set = true;
  for (int i = 0; i < linked.cases_size(); ++i) {
    const v1::ImportedCase& before = keystore.cases(i);
    const v1::ImportedCase& after = linked.cases(i);
    ids_set = ids_set && !before.envelope_id().empty();
    if (after.adds_to() == before.adds_to()) continue;
    ++changed;
    Check(before.adds_to_case() && before.adds_to().empty() && !before.mailbox_id().empty());
    bool matches = false;
    for (int j = 0; j < keystore.cases_size(); ++j) {
      const v1::ImportedCase& original = keystore.cases(j);
      matches = matches || (j != i && !original.adds_to_case() &&
                            original.envelope_id() == after.adds_to() &&
                            original.mailbox_id() == before.mailbox_id() &&
                            original.reply_public_key() == before.reply_public_key());
    }
    Check(matches);
  }
  Check(changed <= count);
  // Linked to a case with no id (never imported so), an addition still
  // looks unlinked; with ids, every link shows and a second pass adds none.
  if (ids_set) Check(changed == count && reviewer::LinkAdditions(linked) == 0);
}

// CheckLedger records an export of the keystore's case numbers against a
// node's ledger, kept to the form RecordExport writes: a mark below the
// largest number (it is next_seq - 1 of some export) and seen numbers
// above it, in increasing order.
void CheckLedger(const v1::PinnedNode& pinned, const std::vector<std::uint64_t>& seqs) {
  const std::uint64_t through = pinned.imported_through_seq();
  if (through == std::numeric_limits<std::uint64_t>::max()) return;
  std::set<std::uint64_t> seen;
  for (const std::uint64_t seq : pinned.seen_above()) {
    if (seq > through) seen.insert(seq);
  }
  v1::PinnedNode node = pinned;
  node.clear_seen_above();
  for (const std::uint64_t seq : seen) node.add_seen_above(seq);
  for (const std::uint64_t seq : seqs) {
    if (seq > through) seen.insert(seq);
  }

  const std::uint64_t next_seq = pinned.last_export_number();
  const std::vector<reviewer::SeqRange> gaps = reviewer::RecordExport(node, seqs, next_seq);
  const std::uint64_t last_assigned = next_seq > 0 ? next_seq - 1 : 0;
  std::uint64_t floor = through;  // every gap starts above the one before
  for (const auto& gap : gaps) {
    Check(gap.first > floor && gap.first <= gap.last && gap.last <= last_assigned);
    const auto inside = seen.lower_bound(gap.first);
    Check(inside == seen.end() || *inside > gap.last);
    floor = gap.last;
  }
  Check(node.imported_through_seq() == std::max(through, last_assigned));
  std::uint64_t previous = node.imported_through_seq();
  for (const std::uint64_t seq : node.seen_above()) {
    Check(seq > previous && seen.contains(seq));
    previous = seq;
  }
}

void CheckWipe(const v1::Keystore& keystore) {
  v1::Keystore wiped = keystore;
  reviewer::WipeSecrets(wiped);
  for (const auto& root : wiped.roots()) Check(root.seed().empty());
  for (const auto& key : wiped.keys()) Check(key.secret_key().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // libprotobuf logs each string field it refuses as not UTF-8; only the
  // refusal matters here, and the logs would slow fuzzing down.
  [[maybe_unused]] static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  // As Keystore::Open reads the opened box.
  v1::Keystore keystore;
  if (!keystore.ParseFromArray(data, static_cast<int>(size)) ||
      keystore.schema() != reviewer::kKeystoreSchema) {
    return 0;
  }
  CheckKeyRing(keystore);
  CheckCaseLookups(keystore);
  CheckLinks(keystore);
  std::vector<std::uint64_t> seqs;
  for (const auto& imported : keystore.cases()) seqs.push_back(imported.seq());
  for (const auto& node : keystore.nodes()) CheckLedger(node, seqs);
  CheckWipe(keystore);
  return 0;
}
