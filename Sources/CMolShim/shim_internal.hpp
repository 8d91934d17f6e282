// Shared by the shim's translation units; never seen by Swift.
#pragma once
#include "molshim.h"

#include <GraphMol/ROMol.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

// RDKit caches computed values (Crippen, TPSA, ring info, stereo flags) as properties on the
// molecule, so even "const" calculations write to it. Every shim function that touches a handle
// holds its lock, which makes one handle safe to share between threads.
struct molshim_mol {
    std::unique_ptr<RDKit::ROMol> mol;
    mutable std::mutex lock;
};

namespace molshim {

void ensure_logging_configured();
// RDKit's error log is captured per thread (housekeeping.cpp): clear before a parse, then read
// what RDKit said about it ("unclosed ring", "syntax error", ...; empty when nothing).
void clear_captured_errors();
std::string captured_parse_error();

// Writes `value` through `out` when the pointer is not null.
template <typename T>
inline void store(T *out, T value) {
    if (out) *out = value;
}

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

// Calculators shared by the per-value entry points and molshim_mol_scores; the caller holds
// the molecule's lock. They throw on RDKit errors.
void compute_descriptors(const RDKit::ROMol &mol, molshim_descriptors &out);
// `known`, when not null, holds compute_descriptors' results for this same molecule.
double compute_qed(const RDKit::ROMol &mol, const molshim_descriptors *known);
// NaN when no fragment table is installed.
double compute_sa_score(const RDKit::ROMol &mol);

}  // namespace molshim

// ---- Substructure prescreen (screen.cpp) ----------------------------------------------------
// RDKit's pattern fingerprint (PatternFingerprintMol, 2048 bits), as SubstructLibrary uses it:
// a query can only match a molecule if every bit of the query's fingerprint is set in the
// molecule's. Matching a whole SMARTS list then runs VF2 only for the patterns that survive.
// Used for the MOSES MCF/PAINS set (501 patterns on the AddHs molecule). Tried for QED's 117
// alerts too: exact, but fingerprinting each molecule cost more than it saved (props 17% slower),
// so QED does not use it.
// Patterns with recursive SMARTS ($(...)) are never screened (always matched), to be
// conservative; the exactness of the rest is checked by scripts/check-filter-screen and the
// FilterScreenTests (Tests/ReportTests) over thousands of molecules.
class ExplicitBitVect;

namespace molshim {

// Empty (`bits` null) for a query that is never screened.
struct ScreenFingerprint {
    std::shared_ptr<const ExplicitBitVect> bits;
};

// Whether screening is on: false when the environment variable MOLVAE_NO_FILTER_SCREEN is set
// (to anything but "" or "0"), read once per process.
bool screening_enabled_by_environment();
// The query's fingerprint; for a recursive SMARTS, the fingerprint of its relaxation (below), or
// an empty one (never screened) when that cannot be made.
ScreenFingerprint screen_fingerprint_for_query(const RDKit::ROMol &query, const std::string &smarts);
// `smarts` with every recursive primitive `$(...)` and `!$(...)` replaced by `*` (any atom): a
// query that matches wherever `smarts` does. Empty when the parentheses do not balance.
std::string relaxed_recursive_smarts(const std::string &smarts);
// The molecule's fingerprint (the caller holds the molecule's lock).
ScreenFingerprint screen_fingerprint_for_molecule(const RDKit::ROMol &mol);
// False only when the query provably cannot match: all its bits are not set in the molecule's.
bool screen_may_match(const ScreenFingerprint &query, const ScreenFingerprint &molecule);

}  // namespace molshim
