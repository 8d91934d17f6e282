#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <mutex>

namespace molshim {

static std::once_flag logging_once;

void ensure_logging_configured() {
    std::call_once(logging_once, [] { boost::logging::disable_logs("rdApp.*"); });
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
