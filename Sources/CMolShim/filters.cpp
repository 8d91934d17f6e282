// Structural filters by SMARTS, and MOSES's whole filter rule (moses.metrics.utils
// mol_passes_filters). The SMARTS lists themselves (MOSES mcf.csv and wehi_pains.csv) are data,
// read by Swift and compiled here once.
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <GraphMol/Substruct/SubstructMatch.h>

#include <set>
#include <vector>

using namespace molshim;

// Immutable after creation. Matching only reads the query molecules; Debian's RDKit is built
// with RDK_BUILD_THREADSAFE_SSS, which locks the recursive-SMARTS match caches.
// With `screen`, each pattern's pattern fingerprint (empty for ones never screened) is kept
// and a pattern is run through SubstructMatch only when the molecule's fingerprint has all its
// bits (see shim_internal.hpp); the verdicts and match lists are the same either way.
struct molshim_smarts_set {
    std::vector<std::unique_ptr<RDKit::ROMol>> patterns;
    std::vector<ScreenFingerprint> fingerprints;
    bool screen = false;

    // The molecule's fingerprint when screening, else an empty one (everything may match).
    ScreenFingerprint fingerprint_of(const RDKit::ROMol &target) const {
        return screen ? screen_fingerprint_for_molecule(target) : ScreenFingerprint{};
    }

    bool matches(size_t i, const RDKit::ROMol &target, const ScreenFingerprint &target_fp) const {
        if (screen && !screen_may_match(fingerprints[i], target_fp)) return false;
        RDKit::MatchVectType match;
        return RDKit::SubstructMatch(target, *patterns[i], match);
    }
};

namespace {

std::string trimmed(const char *text) {
    std::string s(text ? text : "");
    const char *blanks = " \t\r\n";
    size_t first = s.find_first_not_of(blanks);
    if (first == std::string::npos) return "";
    size_t last = s.find_last_not_of(blanks);
    return s.substr(first, last - first + 1);
}

// Chem.AddHs copy when asked; RDKit lazily fills ring info on a target, so the copy is made
// (or the shared molecule used) under the handle's lock by the caller.
std::unique_ptr<RDKit::ROMol> with_hydrogens(const RDKit::ROMol &mol) {
    return std::unique_ptr<RDKit::ROMol>(RDKit::MolOps::addHs(mol));
}

}  // namespace

extern "C" molshim_smarts_set *molshim_smarts_set_create(const char *const *smarts, size_t count, int screen,
                                                         char **error) {
    ensure_logging_configured();
    return guarded<molshim_smarts_set *>(error, nullptr, [&]() -> molshim_smarts_set * {
        auto set = std::make_unique<molshim_smarts_set>();
        set->screen = screen < 0 ? screening_enabled_by_environment() : screen != 0;
        for (size_t i = 0; i < count; ++i) {
            std::string text = trimmed(smarts[i]);
            std::unique_ptr<RDKit::ROMol> pattern;
            try {
                pattern.reset(RDKit::SmartsToMol(text));
            } catch (const std::exception &) {
            }
            if (!pattern) {
                set_error(error, "SMARTS " + std::to_string(i) + " does not compile: " + text);
                return nullptr;
            }
            if (set->screen) set->fingerprints.push_back(screen_fingerprint_for_query(*pattern, text));
            set->patterns.push_back(std::move(pattern));
        }
        return set.release();
    });
}

extern "C" void molshim_smarts_set_free(molshim_smarts_set *set) { delete set; }

extern "C" size_t molshim_smarts_set_count(const molshim_smarts_set *set) { return set ? set->patterns.size() : 0; }

extern "C" int32_t molshim_mol_match_smarts_set(const molshim_mol *mol, const molshim_smarts_set *set,
                                                int explicit_hydrogens, uint8_t *matched, char **error) {
    if (!mol || !set || !matched) {
        set_error(error, "null molecule, SMARTS set or output");
        return -1;
    }
    return guarded<int32_t>(error, -1, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        std::unique_ptr<RDKit::ROMol> hydrogens;
        if (explicit_hydrogens) hydrogens = with_hydrogens(*mol->mol);
        const RDKit::ROMol &target = hydrogens ? *hydrogens : *mol->mol;
        const ScreenFingerprint target_fp = set->fingerprint_of(target);
        int32_t n = 0;
        for (size_t i = 0; i < set->patterns.size(); ++i) {
            bool hit = set->matches(i, target, target_fp);
            matched[i] = hit ? 1 : 0;
            n += hit;
        }
        return n;
    });
}

extern "C" int molshim_mol_passes_moses_filters(const molshim_mol *mol, const molshim_smarts_set *filters,
                                                char **reason, char **error) {
    if (!mol || !filters) {
        set_error(error, "null molecule or filter set");
        return -1;
    }
    return guarded<int>(error, -1, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        const RDKit::ROMol &m = *mol->mol;
        for (const auto &ring : m.getRingInfo()->atomRings()) {
            if (ring.size() >= 8) {
                set_error(reason, "has a ring of " + std::to_string(ring.size()) + " atoms (8 or more)");
                return 0;
            }
        }
        for (const auto atom : m.atoms()) {
            if (atom->getFormalCharge() != 0) {
                set_error(reason, "has a charged atom (" + atom->getSymbol() + ")");
                return 0;
            }
        }
        static const std::set<std::string> allowed = {"C", "N", "S", "O", "F", "Cl", "Br", "H"};
        for (const auto atom : m.atoms()) {
            if (!allowed.count(atom->getSymbol())) {
                set_error(reason, "has an atom other than C N S O F Cl Br H (" + atom->getSymbol() + ")");
                return 0;
            }
        }
        auto hydrogens = with_hydrogens(m);
        const ScreenFingerprint target_fp = filters->fingerprint_of(*hydrogens);
        for (size_t i = 0; i < filters->patterns.size(); ++i) {
            if (filters->matches(i, *hydrogens, target_fp)) {
                set_error(reason, "matches structural filter " + std::to_string(i));
                return 0;
            }
        }
        std::string flat = RDKit::MolToSmiles(m, false);
        if (flat.empty()) {
            set_error(reason, "has an empty SMILES");
            return 0;
        }
        std::unique_ptr<RDKit::RWMol> again;
        try {
            again.reset(RDKit::SmilesToMol(flat));
        } catch (const std::exception &) {
        }
        if (!again) {
            set_error(reason, "its SMILES does not parse again");
            return 0;
        }
        return 1;
    });
}
