#include "reviewer/output_formats.h"

#include <algorithm>
#include <cstdio>

namespace amparo::reviewer {
namespace {

constexpr std::string_view kStyles =
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#1a1a1a;line-height:1.45}"
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}"
    "table{border-collapse:collapse;margin:0.5rem 0 1rem}"
    "th,td{border:1px solid #888;padding:0.25rem 0.6rem;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".note{color:#444}.muted{color:#555;font-size:0.9rem}"
    "svg text{font-size:12px;font-family:system-ui,sans-serif}";

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string HtmlDocument(std::string_view title, std::string_view body_html) {
  std::string out =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  out += HtmlEscape(title);
  out += "</title>\n<style>";
  out += kStyles;
  out += "</style>\n</head>\n<body>\n";
  out += body_html;
  out += "\n</body>\n</html>\n";
  return out;
}

std::string BarChart(std::string_view title, const std::vector<Bar>& bars) {
  constexpr double kLabelWidth = 260;
  constexpr double kBarWidth = 360;
  constexpr double kRow = 22;
  constexpr double kHiddenWidth = 24;
  double largest = 1;
  for (const Bar& bar : bars) {
    if (!bar.suppressed) largest = std::max(largest, bar.value);
  }
  const double height = kRow * static_cast<double>(bars.size()) + 8;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
                    Number(kLabelWidth + kBarWidth + 90) + "\" height=\"" + Number(height) +
                    "\" aria-label=\"" + HtmlEscape(title) + "\">";
  double y = 4;
  for (const Bar& bar : bars) {
    const double width = bar.suppressed ? kHiddenWidth : std::max(2.0, kBarWidth * bar.value / largest);
    out += "<text x=\"0\" y=\"" + Number(y + 14) + "\">" + HtmlEscape(bar.label) + "</text>";
    out += "<rect x=\"" + Number(kLabelWidth) + "\" y=\"" + Number(y + 3) + "\" width=\"" +
           Number(width) + "\" height=\"14\" " +
           (bar.suppressed ? "fill=\"none\" stroke=\"#0b4f8a\" stroke-dasharray=\"3 2\""
                           : "fill=\"#0b4f8a\"") +
           "/>";
    out += "<text x=\"" + Number(kLabelWidth + width + 6) + "\" y=\"" + Number(y + 14) + "\">" +
           HtmlEscape(bar.shown) + "</text>";
    y += kRow;
  }
  out += "</svg>";
  return out;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    cell.insert(cell.begin(), '\'');
  }
  // Every cell is quoted: a spreadsheet that splits on ';' (as in French
  // or Spanish settings) still keeps a cell whole, and no part of one can
  // begin a formula of its own.
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvRow(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvCell(cells[i]);
  }
  out += "\r\n";
  return out;
}

}  // namespace amparo::reviewer
