#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <mutex>

namespace molshim {

static std::once_flag logging_once;

void ensure_logging_configured() {
    // RDKit's loggers are null (silent) until RDLog::InitLogs() creates them on std::cerr, and
    // anything in the process may call InitLogs (Python's rdkit does on import). Create them
    // here, once, and switch them off, so the state is known and molshim_set_logging(1) really
    // turns them on.
    std::call_once(logging_once, [] {
        RDLog::InitLogs();
        boost::logging::disable_logs("rdApp.*");
    });
}

}  // namespace molshim

extern "C" void molshim_free_string(char *string) { std::free(string); }

extern "C" void molshim_free_buffer(void *buffer) { std::free(buffer); }

extern "C" void molshim_set_logging(int enabled) {
    molshim::ensure_logging_configured();
    if (enabled) {
        boost::logging::enable_logs("rdApp.*");
    } else {
        boost::logging::disable_logs("rdApp.*");
    }
}

extern "C" const char *molshim_rdkit_version(void) { return RDKit::rdkitVersion; }
