#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <streambuf>
#include <string>

namespace molshim {

static std::once_flag logging_once;
static std::atomic<bool> echo_errors{false};
thread_local std::string captured_errors;

// RDKit reports SMILES syntax errors only through rdErrorLog (SmilesToMol then returns null),
// so the shim keeps that one logger on, writing into this buffer: each thread's text goes to
// its own string, which the parse on that thread reads back as its error message. Echoed to
// stderr only while molshim_set_logging(1) is in effect.
class ErrorCapture : public std::streambuf {
  protected:
    int overflow(int c) override {
        if (c == EOF) return 0;
        char ch = static_cast<char>(c);
        return xsputn(&ch, 1) == 1 ? c : EOF;
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override {
        if (captured_errors.size() < 4096) captured_errors.append(s, static_cast<size_t>(n));
        if (echo_errors.load(std::memory_order_relaxed)) std::cerr.write(s, n);
        return n;
    }
};

static ErrorCapture error_capture;
// Shared by every thread, like std::cerr in RDKit's own setup: RDKit only inserts strings and
// numbers, and the text itself lands in the writing thread's buffer.
static std::ostream error_stream(&error_capture);

void ensure_logging_configured() {
    // RDKit's loggers are null (silent) until RDLog::InitLogs() creates them on std::cerr, and
    // anything in the process may call InitLogs (Python's rdkit does on import). Create them
    // here, once, and switch them off, so the state is known and molshim_set_logging(1) really
    // turns them on. The error log is redirected to the capture above and stays on.
    std::call_once(logging_once, [] {
        RDLog::InitLogs();
        boost::logging::disable_logs("rdApp.*");
        rdErrorLog = std::make_shared<boost::logging::rdLogger>(&error_stream);
    });
}

void clear_captured_errors() { captured_errors.clear(); }

std::string captured_parse_error() {
    // "[14:30:09] SMILES Parse Error: unclosed ring for input: 'C1CC'" -> "unclosed ring";
    // the input itself is left out so that equal problems give equal messages.
    static const std::string marker = "SMILES Parse Error: ";
    size_t start = captured_errors.find(marker);
    if (start == std::string::npos) return "";
    start += marker.size();
    size_t end = captured_errors.find('\n', start);
    std::string detail = captured_errors.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (const char *tail : {" for input: ", " while parsing: "}) {
        size_t cut = detail.find(tail);
        if (cut != std::string::npos) detail.erase(cut);
    }
    return detail;
}

}  // namespace molshim

extern "C" void molshim_free_string(char *string) { std::free(string); }

extern "C" void molshim_free_buffer(void *buffer) { std::free(buffer); }

extern "C" void molshim_set_logging(int enabled) {
    molshim::ensure_logging_configured();
    molshim::echo_errors.store(enabled != 0);
    if (enabled) {
        boost::logging::enable_logs("rdApp.*");
    } else {
        boost::logging::disable_logs("rdApp.*");
        boost::logging::enable_logs("rdApp.error");  // captured, not printed
    }
}

extern "C" const char *molshim_rdkit_version(void) { return RDKit::rdkitVersion; }
