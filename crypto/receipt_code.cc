#include "crypto/receipt_code.h"

#include <algorithm>
#include <string>

namespace amparo::crypto {
namespace {

bool IsSeparator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-'; }

// FindWord returns the index of the word `typed` names, whole or by a
// prefix of at least kReceiptWordPrefix letters; -1 if none or several.
int FindWord(std::string_view typed) {
  if (typed.size() < kReceiptWordPrefix) {
    const auto it = std::find(kReceiptWords.begin(), kReceiptWords.end(), typed);
    return it == kReceiptWords.end() ? -1 : static_cast<int>(it - kReceiptWords.begin());
  }
  int found = -1;
  for (std::size_t i = 0; i < kReceiptWords.size(); ++i) {
    if (kReceiptWords[i].starts_with(typed)) {
      if (found >= 0) return -1;
      found = static_cast<int>(i);
    }
  }
  return found;
}

SecretBuffer Join(const std::array<int, limits::kReceiptCodeWords>& indexes) {
  std::size_t size = limits::kReceiptCodeWords - 1;
  for (int i : indexes) size += kReceiptWords[static_cast<std::size_t>(i)].size();
  SecretBuffer out(size);
  std::size_t at = 0;
  for (std::size_t w = 0; w < indexes.size(); ++w) {
    if (w > 0) out.data()[at++] = ' ';
    const std::string_view word = kReceiptWords[static_cast<std::size_t>(indexes[w])];
    std::copy(word.begin(), word.end(), out.data() + at);
    at += word.size();
  }
  return out;
}

// WipeIndexes erases word indexes, which are the code as much as its text.
void WipeIndexes(std::array<int, limits::kReceiptCodeWords>& indexes) {
  Wipe(std::span(reinterpret_cast<std::uint8_t*>(indexes.data()), sizeof indexes));
}

}  // namespace

SecretBuffer GenerateReceiptCode(RandomSource& random) {
  static_assert(kReceiptWordCount == 1u << kReceiptWordBits);
  std::array<int, limits::kReceiptCodeWords> indexes{};
  for (int& index : indexes) {
    std::array<std::uint8_t, 2> bytes{};
    random.Fill(bytes);
    // 2048 is a power of two: 11 of 16 random bits are uniform, no rejection.
    index = ((bytes[0] << 8) | bytes[1]) & static_cast<int>(kReceiptWordCount - 1);
    Wipe(bytes);
  }
  SecretBuffer code = Join(indexes);
  WipeIndexes(indexes);
  return code;
}

Result<SecretBuffer> CanonicalReceiptCode(std::string_view typed) {
  if (typed.size() > limits::kMaxReceiptCodeTextBytes) return Error::kLimitExceeded;
  std::array<int, limits::kReceiptCodeWords> indexes{};
  std::array<char, limits::kMaxReceiptCodeTextBytes> word{};
  std::size_t count = 0;
  std::size_t at = 0;
  Status status;
  const auto finish = [&]() {
    if (at == 0) return;
    if (count == indexes.size()) {
      status = Error::kInvalidArgument;
    } else {
      const int index = FindWord(std::string_view(word.data(), at));
      if (index < 0) status = Error::kInvalidArgument;
      else indexes[count++] = index;
    }
    at = 0;
  };
  for (char c : typed) {
    if (IsSeparator(c)) {
      finish();
    } else if (c >= 'a' && c <= 'z') {
      word[at++] = c;
    } else if (c >= 'A' && c <= 'Z') {
      word[at++] = static_cast<char>(c - 'A' + 'a');
    } else {
      status = Error::kInvalidArgument;
      break;
    }
  }
  finish();
  Wipe(std::span(reinterpret_cast<std::uint8_t*>(word.data()), word.size()));
  if (status.ok() && count != indexes.size()) status = Error::kInvalidArgument;
  if (!status.ok()) {
    WipeIndexes(indexes);
    return status.error();
  }
  SecretBuffer code = Join(indexes);
  WipeIndexes(indexes);
  return code;
}

}  // namespace amparo::crypto
