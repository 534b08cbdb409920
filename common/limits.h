#pragma once
// limits.h: every size and count limit of the project, in one place. A limit
// may be lowered by configuration, never raised past these ceilings. Each one
// has a test at N and at N+1.

#include <cstddef>

namespace amparo::limits {

// kMaxAgeHeaderBytes bounds the textual age header, MAC line included. An
// envelope padded to its fixed stanza count needs a few KiB; 64 KiB leaves room
// for files from other age tools with many recipients.
inline constexpr std::size_t kMaxAgeHeaderBytes = 64 * 1024;

// kMaxAgeStanzas bounds recipient stanzas in one header; each costs an X25519
// operation per identity when opening.
inline constexpr std::size_t kMaxAgeStanzas = 256;

// kMaxStanzaArguments bounds the arguments of one stanza (type included).
inline constexpr std::size_t kMaxStanzaArguments = 16;

// kMaxScryptLogN is the largest scrypt work factor (log2 N) accepted when
// opening; 2^22 needs 4 GiB of memory, and larger values are a denial of
// service. The same ceiling as the reference implementation.
inline constexpr int kMaxScryptLogN = 22;

// kMaxArmorLeadingWhitespace bounds the whitespace accepted before an armored
// file's BEGIN line (a pasted message may carry blank lines); armor detection
// looks that far and no further.
inline constexpr std::size_t kMaxArmorLeadingWhitespace = 64 * 1024;

// kMaxKeyFileBytes bounds identity and recipients files.
inline constexpr std::size_t kMaxKeyFileBytes = 1024 * 1024;

// kMaxPassphraseBytes bounds a passphrase read from a descriptor.
inline constexpr std::size_t kMaxPassphraseBytes = 1024;

}  // namespace amparo::limits
