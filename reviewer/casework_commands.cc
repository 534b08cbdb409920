#include "reviewer/casework_commands.h"

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>
#include <vector>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "common/limits.h"
#include "crypto/random.h"
#include "protocol/utf8.h"
#include "reviewer/case_access.h"
#include "reviewer/case_files.h"
#include "reviewer/case_labels.h"
#include "reviewer/case_register.h"
#include "reviewer/case_report.h"
#include "reviewer/consent_policy.h"
#include "reviewer/output_formats.h"
#include "reviewer/keystore_session.h"

namespace amparo::reviewer {
namespace {

namespace fs = std::filesystem;

int WriteOutput(const std::string& path, std::string_view content) {
  auto sink = AtomicFileSink::Create(path);
  if (!sink.ok() || !sink.value()->Write(AsBytes(content)).ok() || !sink.value()->Commit().ok()) {
    return Fail("cannot write " + path, kExitIo);
  }
  return kExitSuccess;
}

// CheckEvent prints why an event cannot be recorded and returns the exit
// status, or nullopt.
std::optional<int> CheckEvent(const EventOptions& event, const v1::ImportedCase& imported) {
  if (auto problem = EventProblem(event, static_cast<std::size_t>(imported.history_size()))) {
    return Fail(*problem, kExitUsage);
  }
  return std::nullopt;
}

// Change fills in one change of a case, or refuses it with an exit status
// (nothing is then saved).
using Change = std::function<int(Keystore&, v1::ImportedCase&, v1::CaseEvent&)>;

// RecordEvent opens the keystore, finds the case, checks the event, applies
// `change` and, if it is accepted, adds it to the history and saves.
int RecordEvent(const KeystoreAccess& access, const std::string& case_id, const EventOptions& event,
                const Change& change) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  v1::ImportedCase* imported = FindCase(session.keystore->data(), case_id);
  if (imported == nullptr) return Fail("no case " + case_id, kExitUsage);
  if (auto bad = CheckEvent(event, *imported)) return *bad;
  v1::CaseEvent entry;
  entry.set_day(SystemClock().Today());  // a day, never a time
  entry.set_by(event.by);
  entry.set_note(event.note);
  if (const int code = change(*session.keystore, *imported, entry); code != kExitSuccess) return code;
  *imported->add_history() = std::move(entry);
  if (auto failed = SaveOrFail(*session.keystore)) return *failed;
  return kExitSuccess;
}

}  // namespace

std::optional<std::string> NameProblem(std::string_view name) {
  if (name.empty() || name.size() > limits::kMaxCaseEventByBytes || !protocol::IsValidUtf8(name)) {
    return "a name is 1 to " + std::to_string(limits::kMaxCaseEventByBytes) + " bytes of UTF-8";
  }
  return std::nullopt;
}

std::optional<std::string> EventProblem(const EventOptions& event, std::size_t history_size) {
  if (NameProblem(event.by)) {
    return "--by names who makes the change: 1 to " + std::to_string(limits::kMaxCaseEventByBytes) +
           " bytes of UTF-8";
  }
  if (event.note.size() > limits::kMaxCaseEventNoteBytes || !protocol::IsValidUtf8(event.note)) {
    return "--note is at most " + std::to_string(limits::kMaxCaseEventNoteBytes) + " bytes of UTF-8";
  }
  if (history_size >= limits::kMaxCaseHistoryEvents) {
    return "the case's history is full (" + std::to_string(limits::kMaxCaseHistoryEvents) + " changes)";
  }
  return std::nullopt;
}

int RunCaseState(const KeystoreAccess& access, const std::string& case_id, const std::string& state,
                 const EventOptions& event) {
  const auto parsed = ParseCaseState(state);
  if (!parsed) {
    return Fail("the state is one of received, pending-assessment, reprisal-established, "
                "not-established, insufficient-information, action-decided, follow-up, closed",
                kExitUsage);
  }
  const int code = RecordEvent(access, case_id, event, [&](Keystore&, v1::ImportedCase& imported,
                                                           v1::CaseEvent& entry) {
    imported.set_state(*parsed);
    entry.set_state(*parsed);
    return kExitSuccess;
  });
  if (code == kExitSuccess) std::cout << "case " << case_id << ": " << CaseStateLabel(*parsed) << '\n';
  return code;
}

int RunCaseAssign(const KeystoreAccess& access, const std::string& case_id, const std::string& name,
                  const EventOptions& event) {
  if (auto problem = NameProblem(name)) return Fail(*problem, kExitUsage);
  const int code = RecordEvent(access, case_id, event, [&](Keystore&, v1::ImportedCase& imported,
                                                           v1::CaseEvent& entry) {
    imported.set_assigned_to(name);
    entry.set_assigned_to(name);
    return kExitSuccess;
  });
  if (code == kExitSuccess) std::cout << "case " << case_id << " assigned to " << TerminalText(name) << '\n';
  return code;
}

int RunCaseAction(const KeystoreAccess& access, const std::string& case_id, const std::string& action,
                  bool names_people, const EventOptions& event) {
  const auto parsed = ParseCourseOfAction(action);
  if (!parsed) {
    return Fail("the course of action is one of confidential-letter, meeting-with-state, "
                "protection-measures, referral-special-procedures, referral-asg, regional-mechanism, "
                "un-country-team, concluding-observations, annual-report, sg-report, "
                "public-statement, web-posting",
                kExitUsage);
  }
  const int code = RecordEvent(access, case_id, event, [&](Keystore& keystore, v1::ImportedCase& imported,
                                                           v1::CaseEvent& entry) {
    auto ring = LoadKeyRing(keystore.data());
    if (!ring.ok()) return FailWith(ring.error());
    const v1::ImportedCase* governing = GoverningCase(keystore.data(), imported);
    if (governing == nullptr) {
      return Fail("this additional information is not linked to a case; act on the case instead",
                  kExitRejected);
    }
    // The one check that decides (consent_policy.h): nothing is recorded
    // unless the consent in force allows every use the action makes.
    auto consent = ConsentOfCase(keystore, ring.value(), *governing);
    if (!consent.ok()) return Fail("no kept key opens the case, so its consent cannot be read", kExitNoMatch);
    std::string why;
    if (!PermitsAction(consent.value().consent, *parsed, names_people, &why).ok()) {
      return Fail("refused: " + why + " (ask the person again; nothing was recorded)", kExitRejected);
    }
    entry.set_action(*parsed);
    entry.set_names_people(names_people);
    return kExitSuccess;
  });
  if (code == kExitSuccess) std::cout << "case " << case_id << ": " << CourseOfActionLabel(*parsed) << " recorded\n";
  return code;
}

int RunList(const KeystoreAccess& access, const CaseFilter& filter) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  auto ring = LoadKeyRing(session.keystore->data());
  if (!ring.ok()) return FailWith(ring.error());
  std::size_t unopened = 0;
  const std::vector<CaseData> cases = LoadCases(*session.keystore, ring.value(), &unopened);
  std::cout << "case\tarrived\tbodies\tstate concerned\tincidents\tattachments\tstatus\tassigned\n";
  for (const CaseData& item : cases) {
    if (!Matches(filter, item)) continue;
    const auto& s = item.submission;
    std::string bodies;
    for (const auto& body : item.bodies) bodies += (bodies.empty() ? "" : ",") + TerminalText(body);
    std::cout << CaseHex(item.record.envelope_id()) << '\t' << FormatDay(item.record.arrival_day()) << '\t'
              << bodies << '\t' << (s.state_concerned().empty() ? "-" : TerminalText(s.state_concerned())) << '\t'
              << s.incidents_size() << '\t' << s.attachments_size() << '\t'
              << (item.record.adds_to_case() ? "adds to " + CaseHex(item.record.adds_to())
                                             : std::string(CaseStateWord(item.record.state())))
              << '\t' << (item.record.assigned_to().empty() ? "-" : TerminalText(item.record.assigned_to()))
              << '\n';
  }
  if (unopened > 0) std::cout << unopened << " cases no kept key opens are not listed\n";
  return kExitSuccess;
}

int RunReport(const KeystoreAccess& access, int year, int k, const std::string& csv,
              const std::string& html) {
  if (csv.empty() && html.empty()) return Fail("name an output: --csv FILE, --html FILE or both", kExitUsage);
  if (k < kMinSuppression) return Fail("--k is at least " + std::to_string(kMinSuppression), kExitUsage);
  Session session(access);
  if (!session.keystore) return session.exit_code;
  auto ring = LoadKeyRing(session.keystore->data());
  if (!ring.ok()) return FailWith(ring.error());
  std::size_t unopened = 0;
  const Report report = BuildReport(LoadCases(*session.keystore, ring.value(), &unopened), year, k);
  if (!csv.empty()) {
    if (const int code = WriteOutput(csv, ReportCsv(report)); code != 0) return code;
  }
  if (!html.empty()) {
    if (const int code = WriteOutput(html, ReportHtml(report)); code != 0) return code;
  }
  std::cout << "report " << year << ": " << Shown(report.cases, report.k) << " allegations, counts below "
            << report.k << " suppressed\n";
  if (unopened > 0) std::cout << unopened << " cases no kept key opens are not counted\n";
  return kExitSuccess;
}

int RunRegister(const KeystoreAccess& access, const std::string& csv, const std::string& html) {
  if (csv.empty() && html.empty()) return Fail("name an output: --csv FILE, --html FILE or both", kExitUsage);
  Session session(access);
  if (!session.keystore) return session.exit_code;
  crypto::SystemRandom random;
  if (AssignPublicReferences(session.keystore->data(), random) > 0) {
    if (auto failed = SaveOrFail(*session.keystore)) return *failed;
  }
  auto ring = LoadKeyRing(session.keystore->data());
  if (!ring.ok()) return FailWith(ring.error());
  std::size_t unopened = 0;
  const auto rows = BuildRegister(LoadCases(*session.keystore, ring.value(), &unopened));
  if (!csv.empty()) {
    if (const int code = WriteOutput(csv, RegisterCsv(rows)); code != 0) return code;
  }
  if (!html.empty()) {
    if (const int code = WriteOutput(html, RegisterHtml(rows)); code != 0) return code;
  }
  std::cout << "cases in the register: " << rows.size() << " (only those whose people consented to publication)\n";
  return kExitSuccess;
}

int RunShowHtml(const KeystoreAccess& access, const std::string& case_id, const std::string& output) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  v1::ImportedCase* imported = FindCase(session.keystore->data(), case_id);
  if (imported == nullptr) return Fail("no case " + case_id, kExitUsage);
  auto ring = LoadKeyRing(session.keystore->data());
  if (!ring.ok()) return FailWith(ring.error());
  auto submission = ReadCaseSubmission(CaseFile(*session.keystore, case_id), ring.value());
  if (!submission.ok()) return FailWith(submission.error());
  // The reply key links additions to this case (followup_cases.h): it
  // stays in the keystore, not in a file that outlives it.
  v1::Submission s = std::move(submission).value();
  s.clear_follow_up();
  std::string body = "<h1>Case " + HtmlEscape(case_id) + "</h1>\n<p>Arrived " +
                     FormatDay(imported->arrival_day()) + ", imported " + FormatDay(imported->import_day()) +
                     ". Status: <strong id=\"status\">" + HtmlEscape(CaseStateLabel(imported->state())) +
                     "</strong>" +
                     (imported->assigned_to().empty() ? "" : "; assigned to " + HtmlEscape(imported->assigned_to())) +
                     ".</p>\n";
  body += "<p class=\"note\"><strong>This page is the case in plain text.</strong> It is not sealed, and "
          "destroying the case's keys does not destroy it: keep it on this workstation and delete it when "
          "done. It loads nothing; attachments are listed, never opened: write them out with "
          "amparo-review attachments.</p>\n";
  body += "<h2>Consent in force</h2>\n<ul id=\"consent\">";
  const v1::ImportedCase* governing = GoverningCase(session.keystore->data(), *imported);
  auto consent = governing != nullptr ? ConsentOfCase(*session.keystore, ring.value(), *governing)
                                      : Result<ConsentInForce>(ConsentInForce{});
  if (consent.ok()) {
    for (const std::string& line : Describe(consent.value().consent)) body += "<li>" + HtmlEscape(line) + "</li>";
    for (const std::string& line : consent.value().not_applied) {
      body += "<li class=\"warn\">not applied, confirm with the person: " + HtmlEscape(line) + "</li>";
    }
  } else {
    body += "<li class=\"warn\">nothing is permitted: the consent cannot be read</li>";
  }
  body += "</ul>\n<h2>The submission</h2>\n<pre id=\"submission\">";
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.PrintToString(s, &text);
  body += HtmlEscape(text) + "</pre>\n<h2>Attachments</h2>\n<ul>";
  if (s.attachments().empty()) body += "<li>none</li>";
  for (const auto& attachment : s.attachments()) {
    body += "<li>" + HtmlEscape(attachment.file_name()) + " (" + HtmlEscape(attachment.media_type()) + ", " +
            std::to_string(attachment.length()) + " bytes)" +
            (attachment.description().empty() ? "" : ": " + HtmlEscape(attachment.description())) + "</li>";
  }
  body += "</ul>\n<h2>History</h2>\n<table id=\"history\"><tr><th>day</th><th>by</th><th>change</th><th>note</th></tr>\n";
  for (const auto& event : imported->history()) {
    const std::string change = EventChange(event);
    body += "<tr><td>" + FormatDay(event.day()) + "</td><td>" + HtmlEscape(event.by()) + "</td><td>" +
            HtmlEscape(change) + "</td><td>" + HtmlEscape(event.note()) + "</td></tr>\n";
  }
  body += "</table>\n";
  for (const auto& other : session.keystore->data().cases()) {
    if (other.adds_to() == imported->envelope_id()) {
      body += "<p>Additional information: case " + CaseHex(other.envelope_id()) + "</p>\n";
    }
  }
  if (const int code = WriteOutput(output, HtmlDocument("Case " + case_id, body)); code != 0) return code;
  std::cout << "case " << case_id << " written to " << output
            << " in plain text: it survives the destruction of the case's keys; delete it when done\n";
  return kExitSuccess;
}

}  // namespace amparo::reviewer
