#pragma once
// output_formats.h: writing the workstation's reports safely. Everything a
// submitter wrote is untrusted: HTML text is escaped, and a CSV cell that a
// spreadsheet would run as a formula is neutralised. The HTML documents are
// self-contained and forbid, by their own Content-Security-Policy, every
// load and every script, so a report opened from file:// reaches no network.

#include <string>
#include <string_view>
#include <vector>

namespace amparo::reviewer {

// HtmlEscape escapes & < > " ' for text and attribute values.
std::string HtmlEscape(std::string_view text);

// HtmlDocument wraps a body in a complete page: UTF-8, a title, the styles
// inline, and a Content-Security-Policy that allows those styles and nothing
// else (no script, no image, no font, no connection).
std::string HtmlDocument(std::string_view title, std::string_view body_html);

// BarChart is an inline SVG bar chart of labels and values; `shown` is the
// text beside each bar (a count, or "<k" for a suppressed one). A
// `suppressed` bar is a short outline of one fixed length, whatever its
// value: its length must say nothing.
struct Bar {
  std::string label;
  double value = 0;
  std::string shown;
  bool suppressed = false;
};
std::string BarChart(std::string_view title, const std::vector<Bar>& bars);

// CsvCell quotes every cell as RFC 4180 says, and prefixes with ' a cell
// that starts with = + - @ (or a tab or carriage return), which spreadsheets
// would otherwise evaluate.
std::string CsvCell(std::string_view text);

// CsvRow joins cells with commas and ends the row with CRLF.
std::string CsvRow(const std::vector<std::string>& cells);

}  // namespace amparo::reviewer
