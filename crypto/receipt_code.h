#pragma once
// receipt_code.h: the receipt code of anonymous follow-up (proto/FOLLOWUP.md
// section 1): 10 words of a 2048-word list, 110 bits from the system's
// random source, shown once and never stored. The code is a secret: it lives
// in locked memory and has no formatter.

#include <array>
#include <cstddef>
#include <string_view>

#include "common/limits.h"
#include "common/result.h"
#include "crypto/random.h"
#include "crypto/secret.h"

namespace amparo::crypto {

// kReceiptWordCount is the size of the word list; kReceiptWordBits the
// entropy of one word, so a code carries kReceiptCodeWords * 11 = 110 bits.
inline constexpr std::size_t kReceiptWordCount = 2048;
inline constexpr std::size_t kReceiptWordBits = 11;
// kReceiptWordPrefix is how many letters name a word unambiguously.
inline constexpr std::size_t kReceiptWordPrefix = 4;

// kReceiptWords is the list, in its file's order (receipt_words.cc).
extern const std::array<std::string_view, kReceiptWordCount> kReceiptWords;

// GenerateReceiptCode returns a new code in canonical form (lower-case words
// separated by single spaces), drawn from `random`.
SecretBuffer GenerateReceiptCode(RandomSource& random);

// CanonicalReceiptCode reads a typed code: upper or lower case, words
// separated by any run of spaces, tabs, line breaks or hyphens, each word
// whole or by its first 4 or more letters. It returns the canonical form;
// kInvalidArgument for anything else (a wrong word count, an unknown or
// ambiguous word, another character), kLimitExceeded past
// kMaxReceiptCodeTextBytes. Intermediate copies are wiped.
Result<SecretBuffer> CanonicalReceiptCode(std::string_view typed);

}  // namespace amparo::crypto
