#include "submit/follow_up.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/age_decrypt.h"
#include "proto/api.pb.h"
#include "protocol/reply_plaintext.h"
#include "submit/api_messages.h"
#include "submit/failure.h"

namespace amparo::submit {
namespace {

constexpr std::string_view kListPath = "/v1/mailbox/list";
constexpr std::string_view kFetchPath = "/v1/mailbox/fetch";
constexpr std::size_t kMaxListingBytes = 1024;
constexpr std::string_view kRateLimited = "too many requests for this code: try again in an hour";

// Encoded serializes a request that holds the token; the caller wipes it.
std::vector<std::uint8_t> Encoded(const google::protobuf::MessageLite& message) {
  std::string bytes = message.SerializeAsString();
  std::vector<std::uint8_t> out(bytes.begin(), bytes.end());
  crypto::Wipe(std::span(reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size()));
  return out;
}

// WipeToken erases the token's copy in a request message.
void WipeToken(std::string* token) {
  crypto::Wipe(std::span(reinterpret_cast<std::uint8_t*>(token->data()), token->size()));
}

// PrintableReplyText makes a body's text safe for a terminal: C0 and C1 controls
// (some terminals obey U+009B as an escape) and bidirectional overrides
// become '?', and every line is indented, so that no text can pass for a
// line of this program's own.
std::string PrintableReplyText(std::string_view text) {
  std::string out = "  ";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    const auto third = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
    if (text[i] == '\n') {
      out += "\n  ";
    } else if (u < 0x20 || u == 0x7f) {
      out += '?';
    } else if (u == 0xc2 && next >= 0x80 && next <= 0x9f) {
      out += '?';
      i += 1;
    } else if (u == 0xe2 && ((next == 0x80 && third >= 0xaa && third <= 0xae) ||
                             (next == 0x81 && third >= 0xa6 && third <= 0xa9))) {
      out += '?';  // U+202A..U+202E, U+2066..U+2069
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string_view StatusText(v1::CaseStatus status) {
  switch (status) {
    case v1::CASE_STATUS_RECEIVED: return "received";
    case v1::CASE_STATUS_UNDER_ASSESSMENT: return "under assessment";
    case v1::CASE_STATUS_ACTION_TAKEN: return "action taken";
    case v1::CASE_STATUS_CLOSED: return "closed";
    default: return "unspecified";
  }
}

}  // namespace

int RunReplies(GatewayClient& client, const crypto::FollowUpKeys& keys,
               const std::optional<std::filesystem::path>& out_dir, std::ostream& out,
               std::ostream& err) {
  v1::MailboxRequest request;
  request.set_token(keys.token.data(), keys.token.size());
  std::vector<std::uint8_t> list_body = Encoded(request);
  WipeToken(request.mutable_token());
  auto listed = client.Post(kListPath, "application/x-protobuf", list_body, kMaxListingBytes);
  crypto::Wipe(list_body);
  if (!listed.ok()) return Fail(err, client.last_failure(), ExitCodeFor(listed.error()));
  if (listed.value().status != 200) {
    const Refusal refusal = ClassifyRefusal(listed.value().status, listed.value().body);
    return Fail(err, listed.value().status == 429 ? kRateLimited : refusal.description,
                ExitCodeFor(refusal.error));
  }
  v1::MailboxListing listing;
  if (!listing.ParseFromArray(listed.value().body.data(), static_cast<int>(listed.value().body.size())) ||
      !listing.GetReflection()->GetUnknownFields(listing).empty() ||
      static_cast<std::size_t>(listing.reply_ids_size()) != limits::kMailboxSlots) {
    return Fail(err, "the gateway's answer is not a mailbox listing", kExitRejected);
  }
  std::vector<protocol::OpenedReply> replies;
  std::set<std::string> seen;
  for (const std::string& id : listing.reply_ids()) {
    // A gateway could list one reply many times: each id counts once.
    if (id.size() != 16) return Fail(err, "the gateway's answer is not a mailbox listing", kExitRejected);
    if (!seen.insert(id).second) continue;
    v1::MailboxFetchRequest fetch;
    fetch.set_token(keys.token.data(), keys.token.size());
    fetch.set_reply_id(id);
    std::vector<std::uint8_t> fetch_body = Encoded(fetch);
    WipeToken(fetch.mutable_token());
    auto fetched = client.Post(kFetchPath, "application/x-protobuf", fetch_body,
                               limits::kMaxSealedReplyBytes);
    crypto::Wipe(fetch_body);
    if (!fetched.ok()) return Fail(err, client.last_failure(), ExitCodeFor(fetched.error()));
    if (fetched.value().status == 404) continue;  // a filler: nothing there
    if (fetched.value().status != 200) {
      const Refusal refusal = ClassifyRefusal(fetched.value().status, fetched.value().body);
      return Fail(err, fetched.value().status == 429 ? kRateLimited : refusal.description,
                  ExitCodeFor(refusal.error));
    }
    SpanSource sealed(fetched.value().body);
    VectorSink plaintext;
    const crypto::age::Identity* identities[] = {&keys.reply_identity};
    const Status opened = crypto::age::Decrypt(identities, sealed, plaintext);
    auto reply = opened.ok() ? protocol::ReadReplyPlaintext(plaintext.bytes())
                             : Result<protocol::OpenedReply>(Error::kMalformedEnvelope);
    if (!reply.ok()) {
      err << "amparo-submit: warning: a reply does not open or read; it was left out\n";
      continue;
    }
    replies.push_back(std::move(reply).value());
  }
  out << replies.size() << (replies.size() == 1 ? " reply\n" : " replies\n");
  // Oldest first, by the day each reply states: the gateway chooses the
  // listing's order and must not choose the conversation's.
  std::reverse(replies.begin(), replies.end());  // the listing is newest first
  std::stable_sort(replies.begin(), replies.end(), [](const auto& a, const auto& b) {
    return a.reply.day() < b.reply.day();
  });
  for (std::size_t n = 0; n < replies.size(); ++n) {
    const protocol::OpenedReply& reply = replies[n];
    const std::size_t number = n + 1;
    out << "--- reply " << number << ", " << FormatDay(reply.reply.day()) << '\n';
    if (reply.reply.kind() == v1::REPLY_KIND_STATUS) {
      out << "status: " << StatusText(reply.reply.status()) << '\n';
    }
    if (!reply.reply.text().empty()) out << PrintableReplyText(reply.reply.text()) << '\n';
    for (int a = 0; a < reply.reply.attachments_size(); ++a) {
      const std::string name = "reply-" + std::to_string(number) + "-attachment-" + std::to_string(a + 1);
      out << "attachment " << a + 1 << ":" << PrintableReplyText(reply.reply.attachments(a).file_name()) << " ("
          << reply.attachments[static_cast<std::size_t>(a)].size() << " bytes)";
      if (out_dir) {
        const Status written = WriteNewFile(*out_dir / name, AsText(reply.attachments[static_cast<std::size_t>(a)]));
        if (!written.ok()) return Fail(err, "cannot write " + name + " (it may exist already)", kExitIo);
        out << " -> " << name;
      }
      out << '\n';
    }
  }
  out.flush();
  return out ? kExitSuccess : Fail(err, "cannot write the replies", kExitIo);
}

}  // namespace amparo::submit
