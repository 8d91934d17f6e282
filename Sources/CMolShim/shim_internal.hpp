// Shared by the shim's translation units; never seen by Swift.
#pragma once
#include <GraphMol/ROMol.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

struct molshim_mol {
    std::unique_ptr<RDKit::ROMol> mol;
};

namespace molshim {

void ensure_logging_configured();

inline char *copy_string(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

inline void set_error(char **error, const std::string &message) {
    if (error) *error = copy_string(message);
}

// Runs `body`; any C++ exception becomes `fallback` plus an error message, so that no
// exception ever crosses the C boundary.
template <typename T, typename F>
T guarded(char **error, T fallback, F &&body) {
    try {
        return body();
    } catch (const std::exception &e) {
        set_error(error, e.what());
    } catch (...) {
        set_error(error, "unknown RDKit error");
    }
    return fallback;
}

}  // namespace molshim
