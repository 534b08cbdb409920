#include "submit/follow_up.h"

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

namespace amparo::submit {
namespace {

constexpr std::string_view kListPath = "/v1/mailbox/list";
constexpr std::string_view kFetchPath = "/v1/mailbox/fetch";
constexpr std::size_t kMaxListingBytes = 1024;

int Fail(std::ostream& err, std::string_view message, int code) {
  return ReportFailure(err, "amparo-submit", message, code);
}

std::vector<std::uint8_t> Encoded(const google::protobuf::MessageLite& message) {
  const std::string bytes = message.SerializeAsString();
  return {bytes.begin(), bytes.end()};
}

// Printable escapes control characters: the text comes from a body, and goes
// to a terminal.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) {
      out += '?';
    } else {
      out += c;
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
  auto listed = client.Post(kListPath, "application/x-protobuf", Encoded(request), kMaxListingBytes);
  if (!listed.ok()) return Fail(err, client.last_failure(), ExitCodeFor(listed.error()));
  if (listed.value().status != 200) {
    const Refusal refusal = ClassifyRefusal(listed.value().status, listed.value().body);
    return Fail(err, listed.value().status == 429 ? "too many requests for this code: try again in an hour"
                                                  : refusal.description,
                ExitCodeFor(refusal.error));
  }
  v1::MailboxListing listing;
  if (!listing.ParseFromArray(listed.value().body.data(), static_cast<int>(listed.value().body.size())) ||
      !listing.GetReflection()->GetUnknownFields(listing).empty() ||
      static_cast<std::size_t>(listing.reply_ids_size()) != limits::kMailboxSlots) {
    return Fail(err, "the gateway's answer is not a mailbox listing", kExitRejected);
  }
  std::vector<protocol::OpenedReply> replies;
  for (const std::string& id : listing.reply_ids()) {
    v1::MailboxFetchRequest fetch;
    fetch.set_token(keys.token.data(), keys.token.size());
    fetch.set_reply_id(id);
    auto fetched = client.Post(kFetchPath, "application/x-protobuf", Encoded(fetch),
                               limits::kMaxSealedReplyBytes);
    if (!fetched.ok()) return Fail(err, client.last_failure(), ExitCodeFor(fetched.error()));
    if (fetched.value().status == 404) continue;  // a filler: nothing there
    if (fetched.value().status != 200) {
      const Refusal refusal = ClassifyRefusal(fetched.value().status, fetched.value().body);
      return Fail(err, refusal.description, ExitCodeFor(refusal.error));
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
  // The listing is newest first; a conversation reads oldest first.
  for (std::size_t n = replies.size(); n-- > 0;) {
    const protocol::OpenedReply& reply = replies[n];
    const std::size_t number = replies.size() - n;
    out << "--- reply " << number << ", " << FormatDay(reply.reply.day()) << '\n';
    if (reply.reply.kind() == v1::REPLY_KIND_STATUS) {
      out << "status: " << StatusText(reply.reply.status()) << '\n';
    }
    if (!reply.reply.text().empty()) out << Printable(reply.reply.text()) << '\n';
    for (int a = 0; a < reply.reply.attachments_size(); ++a) {
      const std::string name = "reply-" + std::to_string(number) + "-attachment-" + std::to_string(a + 1);
      out << "attachment " << a + 1 << ": " << Printable(reply.reply.attachments(a).file_name()) << " ("
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
