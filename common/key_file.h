#pragma once
// key_file.h: the line format shared by identity and recipients files.

#include <string_view>
#include <vector>

namespace amparo {

// KeyFileEntries returns the lines of a key file that carry a key: every line
// except empty ones and '#' comments, without its LF or CRLF. The views point
// into `content`.
std::vector<std::string_view> KeyFileEntries(std::string_view content);

}  // namespace amparo
