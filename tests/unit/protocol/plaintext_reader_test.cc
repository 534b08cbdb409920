// plaintext_reader_test.cc: the reader splits what FramedPlaintextSource
// writes back into the Submission and the attachments, whatever the write
// sizes; every framing or content violation is kMalformedEnvelope and
// sticks; limits hold at N and N + 1; a sink's error passes through.

#include "protocol/plaintext_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/signatures.h"
#include "protocol/padme.h"
#include "protocol/plaintext_framing.h"
#include "tests/support/byte_streams.h"

namespace amparo::protocol {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::optional<Error> ErrorOf(const Status& status) {
  if (status.ok()) return std::nullopt;
  return status.error();
}

std::string DigestOf(std::span<const std::uint8_t> bytes) {
  return std::string(AsText(crypto::Sha256(bytes)));
}

Bytes Serialize(const v1::Submission& submission) {
  const std::string encoded = submission.SerializeAsString();
  const auto bytes = AsBytes(encoded);
  return Bytes(bytes.begin(), bytes.end());
}

// MakeSubmission is a small Submission whose manifest describes `files`.
v1::Submission MakeSubmission(const std::vector<Bytes>& files) {
  v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(5);
  submission.set_language("es");
  submission.add_bodies("CAT");
  submission.set_narrative("Fui detenida al volver de Ginebra.");
  for (std::size_t i = 0; i < files.size(); ++i) {
    v1::Attachment* entry = submission.add_attachments();
    entry->set_file_name("prueba-" + std::to_string(i) + ".pdf");
    entry->set_media_type("application/pdf");
    entry->set_length(files[i].size());
    entry->set_sha256(DigestOf(files[i]));
  }
  return submission;
}

std::uint64_t ContentLength(std::size_t submission_size, const std::vector<Bytes>& files) {
  std::uint64_t total = kSubmissionLengthFieldSize + submission_size;
  for (const Bytes& file : files) total += file.size();
  return total;
}

// Frame runs the writer over already serialized Submission bytes and the
// files, padded to `padded_length` (0: the smallest bucket).
Bytes Frame(const Bytes& submission, const std::vector<Bytes>& files,
            std::uint64_t padded_length = 0) {
  std::vector<std::unique_ptr<SpanSource>> sources;
  std::vector<AttachmentStream> streams;
  for (const Bytes& file : files) {
    sources.push_back(std::make_unique<SpanSource>(file));
    streams.push_back({sources.back().get(), file.size()});
  }
  if (padded_length == 0) padded_length = PaddedLength(ContentLength(submission.size(), files)).value();
  FramedPlaintextSource source(submission, streams, padded_length);
  auto plaintext = amparo::test::Drain(source);
  EXPECT_TRUE(plaintext.ok());
  return plaintext.ok() ? std::move(plaintext).value() : Bytes();
}

Bytes Frame(const v1::Submission& submission, const std::vector<Bytes>& files,
            std::uint64_t padded_length = 0) {
  return Frame(Serialize(submission), files, padded_length);
}

// FrameByHand writes u32be(declared) || body || zeros up to padded_length,
// for framings the writer refuses to produce.
Bytes FrameByHand(std::uint32_t declared, const Bytes& body, std::uint64_t padded_length) {
  EXPECT_LE(kSubmissionLengthFieldSize + body.size(), padded_length);
  Bytes out(static_cast<std::size_t>(padded_length), 0);
  for (std::size_t i = 0; i < kSubmissionLengthFieldSize; ++i) {
    out[i] = static_cast<std::uint8_t>(declared >> (24 - 8 * i));
  }
  std::copy(body.begin(), body.end(), out.begin() + kSubmissionLengthFieldSize);
  return out;
}

// Feed writes bytes in pieces of `piece` bytes; the first failure.
Status Feed(PlaintextReader& reader, std::span<const std::uint8_t> bytes, std::size_t piece) {
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    AMPARO_RETURN_IF_ERROR(reader.Write(bytes.subspan(at, std::min(piece, bytes.size() - at))));
  }
  return OkStatus();
}

// Recorder hands out one VectorSink per attachment and records the calls.
struct Recorder {
  std::vector<std::size_t> calls;
  std::map<std::size_t, std::unique_ptr<VectorSink>> sinks;

  PlaintextReader::AttachmentSinks Sinks() {
    return [this](std::size_t index, const v1::Attachment&) -> ByteSink* {
      calls.push_back(index);
      auto& sink = sinks[index];
      sink = std::make_unique<VectorSink>();
      return sink.get();
    };
  }
};

// ReadAll feeds the whole plaintext in pieces and finishes; the first failure.
Status ReadAll(std::span<const std::uint8_t> plaintext, std::size_t piece,
               PlaintextReader::AttachmentSinks sinks = nullptr) {
  PlaintextReader reader(plaintext.size(), std::move(sinks));
  AMPARO_RETURN_IF_ERROR(Feed(reader, plaintext, piece));
  return reader.Finish();
}

std::vector<Bytes> ThreeFiles() {
  Bytes second = amparo::test::PatternBytes(5000);
  return {amparo::test::PatternBytes(123), Bytes(), second};
}

TEST(PlaintextReaderTest, SplitsWhatTheWriterFramesInPiecesOfAnySize) {
  const std::vector<std::vector<Bytes>> cases = {{}, {amparo::test::PatternBytes(10)}, ThreeFiles()};
  for (const std::vector<Bytes>& files : cases) {
    const v1::Submission submission = MakeSubmission(files);
    const Bytes plaintext = Frame(submission, files);
    for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, plaintext.size()}) {
      Recorder recorder;
      PlaintextReader reader(plaintext.size(), recorder.Sinks());
      EXPECT_FALSE(reader.submission_ready());
      ASSERT_TRUE(Feed(reader, plaintext, piece).ok()) << files.size() << " " << piece;
      ASSERT_TRUE(reader.Finish().ok()) << files.size() << " " << piece;
      ASSERT_TRUE(reader.submission_ready());
      EXPECT_EQ(reader.submission().SerializeAsString(), submission.SerializeAsString());
      std::vector<std::size_t> expected_calls(files.size());
      for (std::size_t i = 0; i < files.size(); ++i) expected_calls[i] = i;
      EXPECT_EQ(recorder.calls, expected_calls);
      for (std::size_t i = 0; i < files.size(); ++i) {
        EXPECT_EQ(recorder.sinks[i]->bytes(), files[i]) << files.size() << " " << piece << " " << i;
      }
    }
  }
}

TEST(PlaintextReaderTest, SubmissionIsReadyOnceParsedAndBeforeTheAttachments) {
  const std::vector<Bytes> files = ThreeFiles();
  const Bytes submission = Serialize(MakeSubmission(files));
  const Bytes plaintext = Frame(submission, files);
  PlaintextReader reader(plaintext.size());
  const std::size_t head = kSubmissionLengthFieldSize + submission.size();
  ASSERT_TRUE(reader.Write(std::span(plaintext).first(head - 1)).ok());
  EXPECT_FALSE(reader.submission_ready());
  ASSERT_TRUE(reader.Write(std::span(plaintext).subspan(head - 1, 1)).ok());
  EXPECT_TRUE(reader.submission_ready());
  EXPECT_EQ(reader.submission().attachments_size(), 3);
  ASSERT_TRUE(reader.Write(std::span(plaintext).subspan(head)).ok());
  EXPECT_TRUE(reader.Finish().ok());
}

TEST(PlaintextReaderTest, NullSinksOnlyVerify) {
  const std::vector<Bytes> files = ThreeFiles();
  const Bytes plaintext = Frame(MakeSubmission(files), files);
  EXPECT_TRUE(ReadAll(plaintext, 7).ok());
  // A chooser may also decline some attachments and keep others.
  VectorSink kept;
  std::vector<std::size_t> calls;
  const auto only_last = [&](std::size_t index, const v1::Attachment&) -> ByteSink* {
    calls.push_back(index);
    return index == 2 ? &kept : nullptr;
  };
  EXPECT_TRUE(ReadAll(plaintext, 7, only_last).ok());
  EXPECT_EQ(calls, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(kept.bytes(), files[2]);

  Bytes corrupt = plaintext;
  corrupt[kSubmissionLengthFieldSize + Serialize(MakeSubmission(files)).size() + 5] ^= 0x01;
  EXPECT_EQ(ErrorOf(ReadAll(corrupt, 7)), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, SubmissionLengthZeroIsMalformed) {
  const Bytes plaintext = FrameByHand(0, {}, kMinPaddedLength);
  PlaintextReader reader(plaintext.size());
  EXPECT_EQ(ErrorOf(reader.Write(std::span(plaintext).first(4))), Error::kMalformedEnvelope);
}

// SubmissionOfSize is a Submission whose encoding is exactly `size` bytes.
v1::Submission SubmissionOfSize(std::size_t size) {
  v1::Submission submission = MakeSubmission({});
  submission.set_narrative("");
  const std::size_t base = submission.ByteSizeLong();
  std::size_t narrative = size - base;
  for (int round = 0; round < 4; ++round) {
    submission.set_narrative(std::string(narrative, 'a'));
    const std::size_t now = submission.ByteSizeLong();
    if (now == size) break;
    narrative = narrative + size - now;
  }
  EXPECT_EQ(submission.ByteSizeLong(), size);
  return submission;
}

TEST(PlaintextReaderTest, SubmissionLengthAtLimitAndOver) {
  const v1::Submission at_limit = SubmissionOfSize(limits::kMaxSubmissionMessageBytes);
  const Bytes plaintext = Frame(at_limit, {});
  PlaintextReader reader(plaintext.size());
  ASSERT_TRUE(reader.Write(plaintext).ok());
  ASSERT_TRUE(reader.Finish().ok());
  EXPECT_EQ(reader.submission().narrative(), at_limit.narrative());

  // N + 1 is refused from its four length bytes, before any is buffered.
  const Bytes over_body = Serialize(SubmissionOfSize(limits::kMaxSubmissionMessageBytes + 1));
  const std::uint64_t padded = PaddedLength(kSubmissionLengthFieldSize + over_body.size()).value();
  const Bytes over = FrameByHand(static_cast<std::uint32_t>(over_body.size()), over_body, padded);
  PlaintextReader over_reader(over.size());
  EXPECT_EQ(ErrorOf(over_reader.Write(std::span(over).first(4))), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(ReadAll(over, over.size())), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, SubmissionLongerThanThePaddedLengthIsMalformed) {
  // 4 + S at P is the N case of the frame itself; one more byte is over P.
  const v1::Submission fills = SubmissionOfSize(kMinPaddedLength - kSubmissionLengthFieldSize);
  EXPECT_TRUE(ReadAll(Frame(fills, {}), 4096).ok());
  const Bytes too_long = FrameByHand(kMinPaddedLength - kSubmissionLengthFieldSize + 1, {},
                                     kMinPaddedLength);
  PlaintextReader reader(too_long.size());
  EXPECT_EQ(ErrorOf(reader.Write(std::span(too_long).first(4))), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, UnparsableSubmissionOrUnknownFieldIsMalformed) {
  Bytes unknown = Serialize(MakeSubmission({}));
  unknown.insert(unknown.end(), {0x98, 0x06, 0x01});  // field 99, varint 1
  EXPECT_EQ(ErrorOf(ReadAll(Frame(unknown, {}), 7)), Error::kMalformedEnvelope);

  Bytes unknown_nested = Serialize(MakeSubmission({}));
  // reporter (field 5) holding field 99 of its own.
  unknown_nested.insert(unknown_nested.end(), {0x2a, 0x03, 0x98, 0x06, 0x01});
  EXPECT_EQ(ErrorOf(ReadAll(Frame(unknown_nested, {}), 7)), Error::kMalformedEnvelope);

  const Bytes garbage(40, 0xff);
  EXPECT_EQ(ErrorOf(ReadAll(Frame(garbage, {}), 7)), Error::kMalformedEnvelope);
}

// ManifestEntry is a valid entry for the empty file.
v1::Attachment ManifestEntry() {
  v1::Attachment entry;
  entry.set_file_name("informe.pdf");
  entry.set_media_type("application/pdf");
  entry.set_length(0);
  entry.set_sha256(DigestOf({}));
  return entry;
}

TEST(PlaintextReaderTest, AttachmentEntriesAreCheckedAtNAndNPlusOne) {
  EXPECT_TRUE(ValidateAttachmentEntry(ManifestEntry()).ok());
  const std::vector<std::string> good_names = {std::string(kMaxAttachmentFileNameBytes, 'a'), "x",
                                               "declaración ñ.pdf", "..", "a b~!.txt"};
  for (const std::string& name : good_names) {
    v1::Attachment entry = ManifestEntry();
    entry.set_file_name(name);
    EXPECT_TRUE(ValidateAttachmentEntry(entry).ok()) << name;
  }
  const std::vector<std::string> bad_names = {
      "", std::string(kMaxAttachmentFileNameBytes + 1, 'a'), "a/b", "a\\b", std::string("a\0b", 3),
      "a\nb", "a\x1f" "b", "a\x7f" "b", "\xff.pdf", "\xc0\xaf.pdf", "\xed\xa0\x80"};
  for (const std::string& name : bad_names) {
    v1::Attachment entry = ManifestEntry();
    entry.set_file_name(name);
    EXPECT_EQ(ErrorOf(ValidateAttachmentEntry(entry)), Error::kMalformedEnvelope) << name;
  }
  for (const std::size_t size : {std::size_t{1}, kMaxAttachmentMediaTypeBytes}) {
    v1::Attachment entry = ManifestEntry();
    entry.set_media_type(std::string(size, 'a'));
    EXPECT_TRUE(ValidateAttachmentEntry(entry).ok()) << size;
  }
  for (const std::size_t size : {std::size_t{0}, kMaxAttachmentMediaTypeBytes + 1}) {
    v1::Attachment entry = ManifestEntry();
    entry.set_media_type(std::string(size, 'a'));
    EXPECT_EQ(ErrorOf(ValidateAttachmentEntry(entry)), Error::kMalformedEnvelope) << size;
  }
  for (const std::size_t size : {std::size_t{0}, kAttachmentDigestSize - 1, kAttachmentDigestSize + 1}) {
    v1::Attachment entry = ManifestEntry();
    entry.set_sha256(std::string(size, 'a'));
    EXPECT_EQ(ErrorOf(ValidateAttachmentEntry(entry)), Error::kMalformedEnvelope) << size;
  }
}

TEST(PlaintextReaderTest, BadEntriesInTheManifestAreMalformed) {
  // The names valid UTF-8 lets the writer encode, each kind once.
  const std::vector<std::string> bad_names = {
      "", std::string(kMaxAttachmentFileNameBytes + 1, 'a'), "../etc/passwd", "C:\\x",
      std::string("a\0b", 3), "a\rb", "a\x1b[31m", "a\x7f"};
  for (const std::string& name : bad_names) {
    v1::Submission submission = MakeSubmission({});
    *submission.add_attachments() = ManifestEntry();
    submission.mutable_attachments(0)->set_file_name(name);
    Recorder recorder;
    EXPECT_EQ(ErrorOf(ReadAll(Frame(submission, {Bytes()}), 1, recorder.Sinks())),
              Error::kMalformedEnvelope)
        << name;
    EXPECT_TRUE(recorder.calls.empty()) << name;
  }
  // Invalid UTF-8, which the writer will not encode: patched in afterwards.
  v1::Submission marked = MakeSubmission({});
  *marked.add_attachments() = ManifestEntry();
  marked.mutable_attachments(0)->set_file_name("@@@@.pdf");
  Bytes invalid_utf8 = Serialize(marked);
  const std::string_view marker = "@@@@";
  const auto found = std::search(invalid_utf8.begin(), invalid_utf8.end(), marker.begin(), marker.end());
  ASSERT_NE(found, invalid_utf8.end());
  *found = 0xff;
  EXPECT_EQ(ErrorOf(ReadAll(Frame(invalid_utf8, {Bytes()}), 7)), Error::kMalformedEnvelope);

  v1::Submission bad_media = MakeSubmission({});
  *bad_media.add_attachments() = ManifestEntry();
  bad_media.mutable_attachments(0)->set_media_type(std::string(kMaxAttachmentMediaTypeBytes + 1, 'a'));
  EXPECT_EQ(ErrorOf(ReadAll(Frame(bad_media, {Bytes()}), 7)), Error::kMalformedEnvelope);
  v1::Submission bad_digest = MakeSubmission({});
  *bad_digest.add_attachments() = ManifestEntry();
  bad_digest.mutable_attachments(0)->set_sha256(std::string(31, 'a'));
  EXPECT_EQ(ErrorOf(ReadAll(Frame(bad_digest, {Bytes()}), 7)), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, AttachmentCountAtNAndNPlusOne) {
  const std::vector<Bytes> at_limit(limits::kMaxAttachments);
  Recorder recorder;
  EXPECT_TRUE(ReadAll(Frame(MakeSubmission(at_limit), at_limit), 7, recorder.Sinks()).ok());
  EXPECT_EQ(recorder.calls.size(), limits::kMaxAttachments);

  // The writer refuses 33 streams, so the last entry has no stream: its
  // length is 0 and it needs none.
  v1::Submission over = MakeSubmission(at_limit);
  *over.add_attachments() = ManifestEntry();
  EXPECT_EQ(ErrorOf(ReadAll(FrameByHand(static_cast<std::uint32_t>(over.ByteSizeLong()),
                                        Serialize(over), kMinPaddedLength),
                            7)),
            Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, AttachmentLengthsAtAndPastThePaddedLength) {
  // 4 + S + the lengths at P (a bucket) is the N case.
  // The probe's length takes as many varint bytes as the real one.
  v1::Submission probe = MakeSubmission({Bytes(3000)});
  const std::size_t s = probe.ByteSizeLong();
  const std::vector<Bytes> fills = {amparo::test::PatternBytes(kMinPaddedLength - 4 - s)};
  const v1::Submission fitting = MakeSubmission(fills);
  ASSERT_EQ(fitting.ByteSizeLong(), s);
  EXPECT_TRUE(ReadAll(Frame(fitting, fills), 7).ok());

  // Refused as soon as the Submission is parsed, before any attachment byte.
  const auto refused = [](const v1::Submission& submission) {
    const Bytes body = Serialize(submission);
    const Bytes plaintext =
        FrameByHand(static_cast<std::uint32_t>(body.size()), body, kMinPaddedLength);
    PlaintextReader reader(plaintext.size());
    return ErrorOf(reader.Write(std::span(plaintext).first(4 + body.size())));
  };
  v1::Submission one_past = fitting;
  one_past.mutable_attachments(0)->set_length(fills[0].size() + 1);
  ASSERT_EQ(one_past.ByteSizeLong(), s);
  EXPECT_EQ(refused(one_past), Error::kMalformedEnvelope);

  const std::vector<std::vector<std::uint64_t>> over = {
      {std::numeric_limits<std::uint64_t>::max()},
      // Would wrap to a small total without the one-by-one check.
      {10, std::numeric_limits<std::uint64_t>::max() - 5},
      {limits::kMaxPaddedLength, limits::kMaxPaddedLength}};
  for (const std::vector<std::uint64_t>& lengths : over) {
    v1::Submission submission = MakeSubmission({});
    for (const std::uint64_t length : lengths) {
      v1::Attachment* entry = submission.add_attachments();
      *entry = ManifestEntry();
      entry->set_length(length);
    }
    EXPECT_EQ(refused(submission), Error::kMalformedEnvelope) << lengths.back();
  }
}

TEST(PlaintextReaderTest, PaddedLengthMustBeTheSmallestBucket) {
  const std::vector<Bytes> files = {amparo::test::PatternBytes(100)};
  const v1::Submission submission = MakeSubmission(files);
  const std::uint64_t content = ContentLength(submission.ByteSizeLong(), files);
  ASSERT_EQ(PaddedLength(content).value(), kMinPaddedLength);
  const Bytes larger = Frame(submission, files, 2 * kMinPaddedLength);
  EXPECT_EQ(ErrorOf(ReadAll(larger, 7)), Error::kMalformedEnvelope);
  const Bytes odd = Frame(submission, files, kMinPaddedLength + 1);
  EXPECT_EQ(ErrorOf(ReadAll(odd, 7)), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, DigestMismatchIsMalformedAndStopsTheSplit) {
  const std::vector<Bytes> files = ThreeFiles();
  v1::Submission submission = MakeSubmission(files);
  const std::size_t head = kSubmissionLengthFieldSize + submission.ByteSizeLong();
  for (const std::size_t at : {std::size_t{0}, std::size_t{122}}) {
    Bytes plaintext = Frame(submission, files);
    plaintext[head + at] ^= 0x80;
    Recorder recorder;
    EXPECT_EQ(ErrorOf(ReadAll(plaintext, 7, recorder.Sinks())), Error::kMalformedEnvelope) << at;
    // The sink got the whole bad attachment, which the caller must discard;
    // no later attachment was opened.
    EXPECT_EQ(recorder.calls, std::vector<std::size_t>{0});
    EXPECT_EQ(recorder.sinks[0]->bytes().size(), files[0].size());
  }
  // A wrong digest on the empty attachment is caught too.
  submission.mutable_attachments(1)->set_sha256(std::string(32, '\0'));
  EXPECT_EQ(ErrorOf(ReadAll(Frame(submission, files), 4096)), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, NonZeroPaddingIsMalformed) {
  const std::vector<Bytes> files = {amparo::test::PatternBytes(10)};
  Bytes plaintext = Frame(MakeSubmission(files), files);
  plaintext.back() = 0x01;
  PlaintextReader reader(plaintext.size());
  ASSERT_TRUE(reader.Write(std::span(plaintext).first(plaintext.size() - 1)).ok());
  EXPECT_EQ(ErrorOf(reader.Write(std::span(plaintext).last(1))), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(reader.Finish()), Error::kMalformedEnvelope);
  for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, plaintext.size()}) {
    EXPECT_EQ(ErrorOf(ReadAll(plaintext, piece)), Error::kMalformedEnvelope) << piece;
  }
}

TEST(PlaintextReaderTest, OneByteTooManyIsMalformed) {
  const std::vector<Bytes> files = {amparo::test::PatternBytes(10)};
  const Bytes plaintext = Frame(MakeSubmission(files), files);
  Bytes longer = plaintext;
  longer.push_back(0);
  for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, longer.size()}) {
    PlaintextReader reader(plaintext.size());
    EXPECT_EQ(ErrorOf(Feed(reader, longer, piece)), Error::kMalformedEnvelope) << piece;
    EXPECT_EQ(ErrorOf(reader.Finish()), Error::kMalformedEnvelope) << piece;
  }
  PlaintextReader reader(plaintext.size());
  ASSERT_TRUE(reader.Write(plaintext).ok());
  EXPECT_TRUE(reader.Write({}).ok());
  const std::uint8_t extra[] = {0};
  EXPECT_EQ(ErrorOf(reader.Write(extra)), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(reader.Finish()), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderTest, OneByteTooFewIsMalformedAtFinish) {
  const std::vector<Bytes> files = {amparo::test::PatternBytes(10)};
  const Bytes plaintext = Frame(MakeSubmission(files), files);
  PlaintextReader reader(plaintext.size());
  ASSERT_TRUE(reader.Write(std::span(plaintext).first(plaintext.size() - 1)).ok());
  EXPECT_EQ(ErrorOf(reader.Finish()), Error::kMalformedEnvelope);

  // Cut inside the length field, the Submission and an attachment.
  for (const std::size_t cut : {std::size_t{0}, std::size_t{2}, std::size_t{20}, std::size_t{100}}) {
    PlaintextReader early(plaintext.size());
    ASSERT_TRUE(early.Write(std::span(plaintext).first(cut)).ok()) << cut;
    EXPECT_EQ(ErrorOf(early.Finish()), Error::kMalformedEnvelope) << cut;
  }
  // A padded length too short to hold even the length field.
  PlaintextReader tiny(3);
  ASSERT_TRUE(tiny.Write(std::span(plaintext).first(3)).ok());
  EXPECT_EQ(ErrorOf(tiny.Finish()), Error::kMalformedEnvelope);
}

// CountingSink counts bytes and fails every write once `fail` is set.
class CountingSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t> data) override {
    if (fail) return Error::kIo;
    count += data.size();
    return OkStatus();
  }
  std::size_t count = 0;
  bool fail = false;
};

TEST(PlaintextReaderTest, FirstFailureSticksAndNothingMoreIsWritten) {
  const std::vector<Bytes> files = ThreeFiles();
  const v1::Submission submission = MakeSubmission(files);
  const std::size_t head = kSubmissionLengthFieldSize + submission.ByteSizeLong();
  const Bytes plaintext = Frame(submission, files);

  // A sink's own error is returned as is, and stays.
  CountingSink sink;
  PlaintextReader reader(plaintext.size(), [&](std::size_t, const v1::Attachment&) { return &sink; });
  ASSERT_TRUE(reader.Write(std::span(plaintext).first(head + 50)).ok());
  EXPECT_EQ(sink.count, 50u);
  sink.fail = true;
  EXPECT_EQ(ErrorOf(reader.Write(std::span(plaintext).subspan(head + 50, 10))), Error::kIo);
  sink.fail = false;
  EXPECT_EQ(ErrorOf(reader.Write(std::span(plaintext).subspan(head + 60))), Error::kIo);
  EXPECT_EQ(ErrorOf(reader.Finish()), Error::kIo);
  EXPECT_EQ(sink.count, 50u);

  // A malformed byte sticks the same way, even if valid bytes follow.
  Bytes corrupt = plaintext;
  corrupt[head + 5] ^= 0x01;
  CountingSink second;
  PlaintextReader stuck(corrupt.size(), [&](std::size_t, const v1::Attachment&) { return &second; });
  EXPECT_EQ(ErrorOf(stuck.Write(std::span(corrupt).first(head + files[0].size()))),
            Error::kMalformedEnvelope);
  const std::size_t written = second.count;
  EXPECT_EQ(ErrorOf(stuck.Write(std::span(corrupt).subspan(head + files[0].size()))),
            Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(stuck.Write({})), Error::kMalformedEnvelope);
  EXPECT_EQ(ErrorOf(stuck.Finish()), Error::kMalformedEnvelope);
  EXPECT_EQ(second.count, written);
}

TEST(PlaintextReaderTest, PaddedLengthOutOfRangeIsAnInvalidArgument) {
  for (const std::uint64_t padded : {std::uint64_t{0}, limits::kMaxPaddedLength + 1}) {
    PlaintextReader reader(padded);
    const std::uint8_t bytes[] = {0, 0, 0, 1};
    EXPECT_EQ(ErrorOf(reader.Write(bytes)), Error::kInvalidArgument) << padded;
    EXPECT_EQ(ErrorOf(reader.Write({})), Error::kInvalidArgument) << padded;
    EXPECT_EQ(ErrorOf(reader.Finish()), Error::kInvalidArgument) << padded;
    EXPECT_FALSE(reader.submission_ready());
  }
  // The ceiling itself is accepted; nothing came, so Finish finds it short.
  PlaintextReader at_ceiling(limits::kMaxPaddedLength);
  const std::uint8_t bytes[] = {0, 0, 0, 1};
  EXPECT_TRUE(at_ceiling.Write(bytes).ok());
  EXPECT_EQ(ErrorOf(at_ceiling.Finish()), Error::kMalformedEnvelope);
}

TEST(PlaintextReaderDeathTest, SubmissionBeforeItIsReadyAborts) {
  PlaintextReader reader(kMinPaddedLength);
  EXPECT_DEATH((void)reader.submission(), "");
}

}  // namespace
}  // namespace amparo::protocol
