// The pattern-fingerprint prescreen declared in shim_internal.hpp.
#include "boost_compat.hpp"
#include "shim_internal.hpp"

#include <DataStructs/ExplicitBitVect.h>
#include <GraphMol/Fingerprints/Fingerprints.h>
#include <GraphMol/SmilesParse/SmilesParse.h>

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
    if (smarts.find("$(") == std::string::npos) {
        RDKit::ROMol copy(query);
        return wrap(RDKit::PatternFingerprintMol(copy, kScreenBits));
    }
    // A recursive SMARTS is screened by a relaxation of it: every recursive primitive `$(...)`,
    // negated or not, becomes `*` (true for every atom). Inside an atom expression the primitives
    // are combined only by AND and OR, which are monotone, and a negation applies to a single
    // primitive, which is replaced together with its `!`; so the relaxed query matches wherever
    // the original does, and a molecule missing the relaxed query's bits cannot match either.
    std::string relaxed = relaxed_recursive_smarts(smarts);
    if (relaxed.empty()) return ScreenFingerprint{};
    std::unique_ptr<RDKit::ROMol> loose;
    try {
        loose.reset(RDKit::SmartsToMol(relaxed));
    } catch (const std::exception &) {
    }
    if (!loose || loose->getNumAtoms() != query.getNumAtoms()) return ScreenFingerprint{};
    return wrap(RDKit::PatternFingerprintMol(*loose, kScreenBits));
}

std::string relaxed_recursive_smarts(const std::string &smarts) {
    std::string out;
    out.reserve(smarts.size());
    for (size_t i = 0; i < smarts.size();) {
        size_t start = i;
        if (smarts[i] == '!' && i + 1 < smarts.size() && smarts[i + 1] == '$') ++i;
        if (smarts[i] == '$' && i + 1 < smarts.size() && smarts[i + 1] == '(') {
            int depth = 0;
            size_t j = i + 1;
            for (; j < smarts.size(); ++j) {
                if (smarts[j] == '(') ++depth;
                else if (smarts[j] == ')' && --depth == 0) break;
            }
            if (j == smarts.size()) return "";  // unbalanced: leave the pattern unscreened
            out += '*';
            i = j + 1;
            continue;
        }
        i = start;
        out += smarts[i++];
    }
    return out;
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
