// The pattern-fingerprint prescreen declared in shim_internal.hpp.
#include "boost_compat.hpp"
#include "shim_internal.hpp"

#include <DataStructs/ExplicitBitVect.h>
#include <GraphMol/Fingerprints/Fingerprints.h>

namespace molshim {

namespace {

constexpr unsigned int kScreenBits = 2048;

ScreenFingerprint wrap(ExplicitBitVect *raw) { return ScreenFingerprint{std::shared_ptr<const ExplicitBitVect>(raw)}; }

}  // namespace

bool screening_enabled_by_environment() {
    static const bool enabled = [] {
        const char *value = std::getenv("MOLVAE_NO_FILTER_SCREEN");
        return !value || value[0] == '\0' || std::string(value) == "0";
    }();
    return enabled;
}

// PatternFingerprintMol perceives rings (fastFindRings) on a molecule whose ring information is
// not initialised yet. That must not leak into the later SubstructMatch (ring-count queries
// would see fast-found rings instead of what matching would otherwise use), so such a molecule
// is fingerprinted through a copy; the query is always copied (once per pattern).
ScreenFingerprint screen_fingerprint_for_query(const RDKit::ROMol &query, const std::string &smarts) {
    if (smarts.find("$(") != std::string::npos) return ScreenFingerprint{};
    RDKit::ROMol copy(query);
    return wrap(RDKit::PatternFingerprintMol(copy, kScreenBits));
}

ScreenFingerprint screen_fingerprint_for_molecule(const RDKit::ROMol &mol) {
    if (mol.getRingInfo()->isInitialized()) return wrap(RDKit::PatternFingerprintMol(mol, kScreenBits));
    RDKit::ROMol copy(mol);
    return wrap(RDKit::PatternFingerprintMol(copy, kScreenBits));
}

bool screen_may_match(const ScreenFingerprint &query, const ScreenFingerprint &molecule) {
    if (!query.bits || !molecule.bits) return true;
    return query.bits->dp_bits->is_subset_of(*molecule.bits->dp_bits);
}

}  // namespace molshim
