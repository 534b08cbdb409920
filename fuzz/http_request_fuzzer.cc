// Fuzzes the gateway's handling of a connection's bytes: the input is what a
// client sent, served by a Beast test stream. Each request's header is read
// with the server's own FeedHeader (gateway/http_request_parse.h), its body
// under the route's limit as Session::OnHeader sets it, and the complete
// request goes to a real ApiHandler with a real MailboxService over a real
// RocksDB store in a temporary folder made once per process, with a key
// bundle installed, one reply in a mailbox, a 64 KiB upload maximum, ids
// drawn afresh for each input and a fixed day. Requests follow one another
// on the connection while the answers keep it alive, as the server's do.
// Writes are synced, as RocksDbStoreOptions cannot turn that off; a TMPDIR
// on a tmpfs makes them cheap.
//
// Each complete header's Host also goes through the onion listener's check
// (gateway/onion_host.h), which must only pass a value naming a .onion host.
//
// Checked: a complete header is at most kMaxRequestHeaderBytes long, and
// reading the first one in small pieces gives the same header; a body is
// within its route's limit; every answer is 200 or 201, or exactly one of
// the fixed error responses; an error, and any GET, HEAD or mailbox request,
// changes nothing stored; an accepted submission is stored byte for byte,
// and each upload step changes the store's totals by what it says. The
// store is emptied again after each input.
//
// Not shared with server.cc, and mirrored here: the mapping of methods, the
// body limit steps of Session::OnHeader, and the keep-alive decision. The
// server also writes "100 Continue" before reading a body that asks for it,
// and its answers; neither is a parse, and the test stream has no peer.
#include <stdlib.h>

#include <array>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/mailbox.h"
#include "fuzz/fuzz_key_bundle.h"
#include "fuzz/fuzz_support.h"
#include "gateway/api_handler.h"
#include "gateway/error_response.h"
#include "gateway/http_request_parse.h"
#include "gateway/mailbox_rate_limiter.h"
#include "gateway/mailbox_service.h"
#include "gateway/onion_host.h"
#include "gateway/static_files.h"
#include "proto/api.pb.h"
#include "storage/rocksdb_store.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
namespace gateway = amparo::gateway;
namespace storage = amparo::storage;
namespace crypto = amparo::crypto;
using amparo::fuzz::Check;
using gateway::HeaderProgress;

constexpr amparo::Day kToday = amparo::fuzz::kKeyBundleToday;
// kMaxRequests bounds the requests served per input.
constexpr int kMaxRequests = 8;
// kMailboxRequestsPerHour is low so that a few mailbox requests reach 429.
constexpr int kMailboxRequestsPerHour = 3;
// kMaxUploadBytes is the configured upload maximum: low, so that Empty can
// complete what an input leaves open, and above every seed's envelope.
constexpr std::uint64_t kMaxUploadBytes = 64 * 1024;
// kSplitReadBytes is the read size of the second reading of the first header.
constexpr std::size_t kSplitReadBytes = 13;

class FixedClock final : public amparo::Clock {
 public:
  amparo::Day Today() const override { return kToday; }
};

// InputRandom draws the same ids for every input: Restart begins again.
class InputRandom final : public crypto::RandomSource {
 public:
  void Restart() { source_.emplace(amparo::fuzz::kGatewayRandomName); }
  void Fill(std::span<std::uint8_t> out) override { source_->Fill(out); }

 private:
  std::optional<amparo::fuzz::SeededRandom> source_;
};

crypto::SecretBytes<crypto::kMailboxSecretSize> MailboxSecret() {
  crypto::SecretBytes<crypto::kMailboxSecretSize> secret;
  for (std::size_t i = 0; i < secret.size(); ++i) secret.data()[i] = amparo::fuzz::kMailboxSecretByte;
  return secret;
}

// Stored is what the store holds, as its totals show it.
struct Stored {
  std::uint64_t envelopes = 0;
  std::uint64_t envelope_bytes = 0;
  std::uint64_t open_uploads = 0;
  std::uint64_t upload_bytes = 0;
  std::uint64_t key_bundle_version = 0;
  std::uint64_t audit_length = 0;
  std::uint64_t next_seq = 0;
  bool operator==(const Stored&) const = default;
};

Stored StoredIn(storage::EnvelopeStore& store) {
  auto stats = store.Stats();
  Check(stats.ok());
  const storage::StoreStats& s = stats.value();
  return {s.envelopes, s.envelope_bytes, s.open_uploads, s.upload_bytes,
          s.key_bundle_version, s.audit_length, s.next_seq};
}

// Gateway is the process's gateway: its store in a temporary folder, which
// goes with it at exit, a page of one file, and the handler over them.
class Gateway {
 public:
  Gateway() {
    std::string pattern = (fs::temp_directory_path() / "amparo-fuzz-http.XXXXXX").string();
    Check(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    fs::create_directory(dir_ / "www");
    std::ofstream(dir_ / "www" / "index.html") << "<!doctype html><title>Amparo</title>\n";
    auto files = gateway::StaticFiles::Load(dir_ / "www");
    Check(files.ok());
    files_ = std::move(files).value();
    limiter_.emplace(kMailboxRequestsPerHour, [this] { return hour_; });
    Open();
  }

  ~Gateway() {
    Close();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Restart gives the next input the same ids as the last, and a new hour
  // for the mailbox rate limits.
  void Restart() {
    random_.Restart();
    ++hour_;
  }

  // NoteUpload remembers an upload the input created, for Empty.
  void NoteUpload(const storage::UploadId& upload) { uploads_.push_back(upload); }

  // Empty removes what the input stored. Its uploads still open are
  // completed with zeros and finalized (kMaxUploadBytes keeps that cheap),
  // then every envelope is deleted. ExpireUploads would be simpler, but it
  // hands memcmp a null pointer in StagedView::Entries, which UBSan stops
  // at (see fuzz/README.md).
  void Empty() {
    for (std::size_t i = 0; i < uploads_.size(); ++i) {
      const auto info = store_->DescribeUpload(uploads_[i]);
      if (!info.ok()) continue;  // the input finalized it
      const std::uint64_t missing = info.value().total - info.value().committed;
      if (missing > 0) {
        const std::vector<std::uint8_t> zeros(static_cast<std::size_t>(missing), 0);
        Check(store_->AppendUpload(uploads_[i], info.value().committed, zeros).ok());
      }
      storage::EnvelopeId::Bytes id{};
      id.fill(0xee);
      id.back() = static_cast<std::uint8_t>(i);
      Check(store_->FinalizeUpload(uploads_[i], storage::EnvelopeId(id), kToday).ok());
    }
    uploads_.clear();
    if (StoredIn(*store_).envelopes > 0) {
      auto queued = store_->ListEnvelopes(0, amparo::limits::kMaxStoreListEnvelopes);
      Check(queued.ok());
      std::vector<storage::EnvelopeId> ids;
      for (const auto& entry : queued.value()) ids.push_back(entry.id);
      Check(store_->DeleteEnvelopes(ids).ok());
    }
    Stored emptied = StoredIn(*store_);
    emptied.next_seq = empty_.next_seq;  // sequence numbers are never reused
    Check(emptied == empty_);
  }

  gateway::ApiHandler& handler() { return *handler_; }
  storage::EnvelopeStore& store() { return *store_; }

 private:
  // Open makes a store with the key bundle installed and one reply in the
  // mailbox of kMailboxToken, and the handler over it.
  void Open() {
    auto store = storage::OpenRocksDbStore(dir_ / "data", {});
    Check(store.ok());
    store_ = std::move(store).value();
    Check(store_->PutKeyBundle(3, amparo::fuzz::GatewayKeyBundle()).ok());

    std::array<std::uint8_t, crypto::kMailboxTokenSize> token{};
    const auto token_bytes = amparo::AsBytes(amparo::fuzz::kMailboxToken);
    std::copy(token_bytes.begin(), token_bytes.end(), token.begin());
    storage::StoredReply reply;
    reply.mailbox = crypto::MailboxKeyFor(MailboxSecret(), crypto::MailboxIdForToken(token));
    storage::ReplyId::Bytes id{};
    id.fill(amparo::fuzz::kMailboxReplyIdByte);
    reply.id = storage::ReplyId(id);
    reply.sealed.assign(200, 0x5a);
    auto placed = store_->PlaceReplies(1, std::span(&reply, 1), kToday);
    Check(placed.ok() && placed.value() == 1);

    mailboxes_.emplace(*store_, MailboxSecret(), *limiter_);
    gateway::ApiPolicy policy;
    policy.accepting = true;
    policy.envelope.lowest_accepted_bundle_version = 2;
    policy.max_upload_bytes = kMaxUploadBytes;
    handler_.emplace(*store_, policy, random_, clock_, files_);
    handler_->SetMailboxService(&*mailboxes_);
    empty_ = StoredIn(*store_);
  }

  // Close closes the store and deletes its files.
  void Close() {
    handler_.reset();
    mailboxes_.reset();
    store_.reset();
    std::error_code ignored;
    fs::remove_all(dir_ / "data", ignored);
  }

  fs::path dir_;
  std::unique_ptr<storage::EnvelopeStore> store_;
  gateway::StaticFiles files_;
  FixedClock clock_;
  InputRandom random_;
  std::int64_t hour_ = 0;
  std::optional<gateway::MailboxRateLimiter> limiter_;
  std::optional<gateway::MailboxService> mailboxes_;
  std::optional<gateway::ApiHandler> handler_;
  Stored empty_;
  std::vector<storage::UploadId> uploads_;  // created by the current input
};

// FixedErrors are every error response the handler can give.
std::vector<gateway::HttpResponse> FixedErrors() {
  std::vector<gateway::HttpResponse> all = {gateway::NotFoundResponse(),
                                            gateway::MethodNotAllowedResponse()};
  for (int e = 0; e <= static_cast<int>(amparo::Error::kRateLimited); ++e) {
    all.push_back(gateway::ResponseFor(static_cast<amparo::Error>(e)));
  }
  return all;
}

bool IsFixedError(const gateway::HttpResponse& response) {
  static const std::vector<gateway::HttpResponse> fixed = FixedErrors();
  for (const auto& error : fixed) {
    if (response.status == error.status && response.content_type == error.content_type &&
        response.body == error.body) {
      return !error.body.empty();
    }
  }
  return false;
}

// MethodOf maps Beast's verbs as server.cc does.
gateway::HttpMethod MethodOf(http::verb verb) {
  switch (verb) {
    case http::verb::get: return gateway::HttpMethod::kGet;
    case http::verb::head: return gateway::HttpMethod::kHead;
    case http::verb::post: return gateway::HttpMethod::kPost;
    case http::verb::put: return gateway::HttpMethod::kPut;
    default: return gateway::HttpMethod::kOther;
  }
}

// ReadHeader reads one request's header as Session::ParseHeader does, with
// synchronous reads: FeedHeader whatever the buffer holds, then read as much
// as the buffer takes. kNeedMore if the stream ended first.
HeaderProgress ReadHeader(beast::test::stream& stream, beast::flat_buffer& buffer,
                          gateway::RequestParser& parser, std::size_t& header_bytes) {
  for (;;) {
    if (buffer.size() > 0) {
      const HeaderProgress progress = gateway::FeedHeader(parser, buffer, header_bytes);
      if (progress != HeaderProgress::kNeedMore) return progress;
    }
    // A header that needs more is under the limit with what waits, so the
    // buffer always has room for the next read.
    Check(buffer.size() < buffer.max_size());
    beast::error_code ec;
    const std::size_t n = stream.read_some(buffer.prepare(buffer.max_size() - buffer.size()), ec);
    buffer.commit(n);
    if (ec) return HeaderProgress::kNeedMore;
  }
}

// HeaderRead is the outcome of reading one header, and the header read.
struct HeaderRead {
  HeaderProgress progress = HeaderProgress::kNeedMore;
  std::size_t header_bytes = 0;
  std::string text;  // method, target, version and fields, if complete
};

std::string HeaderText(const gateway::RequestParser& parser) {
  const auto& header = parser.get();
  std::string text = std::string(header.method_string()) + ' ' + std::string(header.target()) +
                     ' ' + std::to_string(header.version()) + '\n';
  for (const auto& field : header) {
    text += std::string(field.name_string()) + ": " + std::string(field.value()) + '\n';
  }
  return text;
}

HeaderRead ReadFirstHeader(std::string_view input, std::size_t read_size) {
  boost::asio::io_context ioc;
  beast::test::stream stream(ioc, input);
  stream.close_remote();
  stream.read_size(read_size);
  beast::flat_buffer buffer(2 * amparo::limits::kMaxRequestHeaderBytes);
  gateway::RequestParser parser;
  parser.body_limit(boost::none);
  HeaderRead read;
  read.progress = ReadHeader(stream, buffer, parser, read.header_bytes);
  if (read.progress == HeaderProgress::kComplete) read.text = HeaderText(parser);
  return read;
}

// RouteKind is what a request may change in the store.
enum class RouteKind { kReadOnly, kSubmit, kCreateUpload, kAppendUpload, kFinalizeUpload };

RouteKind KindOf(const gateway::RequestHead& head) {
  const std::string_view target = head.target;
  const std::string_view path = target.substr(0, target.find('?'));
  const bool post = head.method == gateway::HttpMethod::kPost;
  if (post && path == "/v1/submissions") return RouteKind::kSubmit;
  if (post && path == "/v1/uploads") return RouteKind::kCreateUpload;
  if (!path.starts_with("/v1/uploads/")) return RouteKind::kReadOnly;
  if (head.method == gateway::HttpMethod::kPut) return RouteKind::kAppendUpload;
  if (post && path.ends_with("/finalize")) return RouteKind::kFinalizeUpload;
  return RouteKind::kReadOnly;
}

gateway::HttpResponse Serve(gateway::ApiHandler& handler, gateway::HttpRequest request) {
  std::promise<gateway::HttpResponse> answer;
  auto answered = answer.get_future();
  // A second call would throw from set_value: Handle answers exactly once.
  handler.Handle(std::move(request),
                 [&answer](gateway::HttpResponse response) { answer.set_value(std::move(response)); });
  return answered.get();
}

// CheckAnswer checks a response and what it changed in the store.
void CheckAnswer(Gateway& gateway, const gateway::HttpRequest& request,
                 const gateway::HttpResponse& response, const Stored& before) {
  storage::EnvelopeStore& store = gateway.store();
  const Stored after = StoredIn(store);
  const RouteKind kind = KindOf(request.head);
  if (response.status >= 400) {
    Check(IsFixedError(response));
    Check(after == before);
    return;
  }
  Check(response.status == 200 || response.status == 201);
  Check(!response.body.empty() && !response.content_type.empty());
  Stored expected = before;
  switch (kind) {
    case RouteKind::kReadOnly:
      Check(response.status == 200);
      break;
    case RouteKind::kSubmit: {
      Check(response.status == 201);
      amparo::v1::SubmissionReceipt receipt;
      Check(receipt.ParseFromArray(response.body.data(), static_cast<int>(response.body.size())));
      auto id = storage::EnvelopeId::FromBytes(amparo::AsBytes(receipt.envelope_id()));
      Check(id.ok());
      amparo::VectorSink stored;
      Check(store.ReadEnvelope(id.value(), stored).ok() && stored.bytes() == request.body);
      expected.envelopes += 1;
      expected.envelope_bytes += request.body.size();
      expected.next_seq += 1;
      break;
    }
    case RouteKind::kCreateUpload:
    case RouteKind::kAppendUpload: {
      Check(response.status == (kind == RouteKind::kCreateUpload ? 201u : 200u));
      amparo::v1::UploadStatus status;
      Check(status.ParseFromArray(response.body.data(), static_cast<int>(response.body.size())));
      Check(status.committed_length() <= status.total_length());
      if (kind == RouteKind::kCreateUpload) {
        auto upload = storage::UploadId::FromBytes(amparo::AsBytes(status.upload_id()));
        Check(upload.ok());
        gateway.NoteUpload(upload.value());
        expected.open_uploads += 1;
        expected.upload_bytes += status.committed_length();
      } else {
        expected.upload_bytes += request.body.size();
      }
      break;
    }
    case RouteKind::kFinalizeUpload:
      Check(response.status == 201);
      // The upload's bytes become the envelope's.
      Check(after.envelope_bytes - before.envelope_bytes == before.upload_bytes - after.upload_bytes);
      expected.envelopes += 1;
      expected.open_uploads -= 1;
      expected.envelope_bytes = after.envelope_bytes;
      expected.upload_bytes = after.upload_bytes;
      expected.next_seq += 1;
      break;
  }
  Check(after == expected);
}

// CheckOnionHost checks that IsOnionHost passes only a host whose name,
// without a port or a final dot, ends in ".onion" after at least one other
// character.
void CheckOnionHost(beast::string_view value) {
  const std::string_view host(value.data(), value.size());
  if (!gateway::IsOnionHost(host)) return;
  // Up to the last ':' (substr takes npos, no ':', as "to the end").
  std::string name = amparo::AsciiLowerCopy(host.substr(0, host.rfind(':')));
  if (!name.empty() && name.back() == '.') name.pop_back();
  Check(name.size() > 6 && name.ends_with(".onion") && name[name.size() - 7] != '.');
}

// ServeConnection serves the requests of the input one after the other and
// returns how its first header read.
HeaderRead ServeConnection(Gateway& gateway, std::string_view input) {
  boost::asio::io_context ioc;
  beast::test::stream stream(ioc, input);
  stream.close_remote();
  beast::flat_buffer buffer(2 * amparo::limits::kMaxRequestHeaderBytes);
  gateway::ApiHandler& handler = gateway.handler();
  HeaderRead first;
  for (int i = 0; i < kMaxRequests; ++i) {
    // A fresh parser for each request, with no body limit until the route
    // is known, as Session::ReadHeader does.
    gateway::RequestParser parser;
    parser.body_limit(boost::none);
    std::size_t header_bytes = 0;
    const HeaderProgress progress = ReadHeader(stream, buffer, parser, header_bytes);
    if (i == 0) first = {progress, header_bytes, {}};
    if (progress == HeaderProgress::kTooLarge) {
      // The server answers 431 with this body and closes.
      Check(IsFixedError(handler.ErrorResponse(amparo::Error::kLimitExceeded)));
      break;
    }
    if (progress != HeaderProgress::kComplete) break;
    Check(parser.is_header_done() && header_bytes <= amparo::limits::kMaxRequestHeaderBytes);
    if (i == 0) first.text = HeaderText(parser);

    const auto& header = parser.get();
    CheckOnionHost(header[http::field::host]);

    // Session::OnHeader: the route's limit, a declared length over it
    // refused before any body byte is read.
    gateway::RequestHead head{MethodOf(header.method()), std::string(header.target())};
    const std::size_t limit = handler.BodyLimit(head);
    const auto declared = parser.content_length();
    if (declared && *declared > limit) break;  // 413, and the connection closes
    parser.body_limit(limit);
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec) break;  // 413 for http::error::body_limit, else closed
    auto message = parser.release();
    const bool keep_alive = message.keep_alive();
    gateway::HttpRequest request{std::move(head), std::move(message.body())};
    Check(request.body.size() <= limit);

    const Stored before = StoredIn(gateway.store());
    const gateway::HttpResponse response = Serve(handler, request);
    CheckAnswer(gateway, request, response, before);
    if (!keep_alive) break;
  }
  return first;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Gateway gateway;
  const std::string_view input = amparo::fuzz::AsChars(data, size);
  gateway.Restart();
  const HeaderRead whole = ServeConnection(gateway, input);
  gateway.Empty();
  // However the first header's bytes arrive, it reads the same.
  const HeaderRead split = ReadFirstHeader(input, kSplitReadBytes);
  Check((whole.progress == HeaderProgress::kComplete) == (split.progress == HeaderProgress::kComplete));
  if (whole.progress == HeaderProgress::kComplete) {
    Check(whole.header_bytes == split.header_bytes && whole.text == split.text);
  }
  return 0;
}
