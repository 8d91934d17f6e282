// Synthetic accessibility score exactly as RDKit Contrib SA_Score/sascorer.py (Ertl and
// Schuffenhauer 2009, with Contrib's fingerprint-density correction). The fragment table is not
// compiled in: Swift reads Data/sa_fragment_scores.txt.gz and installs it once.
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <DataStructs/SparseIntVect.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>
#include <GraphMol/MolOps.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <algorithm>
#include <vector>

using namespace molshim;

namespace {

// (id, score) sorted by id, plus where each block of ids sharing their top 16 bits starts, so a
// look-up is a short binary search inside one block (one or two cache misses) rather than over
// all 705k ids. Building it is a sort, several times faster than filling a hash map.
struct FragmentTable {
    std::vector<std::pair<uint32_t, double>> entries;
    std::vector<uint32_t> block_start;  // 65537 offsets into entries

    double score(uint32_t id, double missing) const {
        auto first = entries.begin() + block_start[id >> 16];
        auto last = entries.begin() + block_start[(id >> 16) + 1];
        auto found = std::lower_bound(first, last, id, [](const auto &e, uint32_t key) { return e.first < key; });
        return found == last || found->first != id ? missing : found->second;
    }
};

// Replaced as a whole, read through an atomic shared_ptr load, so scoring threads never see a
// half-built table and never take a lock.
std::shared_ptr<const FragmentTable> fragment_table;

std::shared_ptr<const FragmentTable> current_table() { return std::atomic_load(&fragment_table); }

}  // namespace

extern "C" size_t molshim_sa_set_fragment_scores(const uint32_t *ids, const double *scores, size_t count) {
    auto table = std::make_shared<FragmentTable>();
    auto &entries = table->entries;
    entries.reserve(count);
    for (size_t i = 0; i < count; ++i) entries.emplace_back(ids[i], scores[i]);
    // Later entries win, as in sascorer.readFragmentScores (a dict filled in file order): a
    // stable sort keeps file order among equal ids, then the last of each run is kept.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    size_t kept = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;
        entries[kept++] = entries[i];
    }
    entries.resize(kept);
    table->block_start.assign(65537, 0);
    size_t position = 0;
    for (uint32_t block = 0; block <= 65536; ++block) {
        while (position < entries.size() && (entries[position].first >> 16) < block) ++position;
        table->block_start[block] = static_cast<uint32_t>(position);
    }
    size_t stored = entries.size();
    std::atomic_store(&fragment_table, std::shared_ptr<const FragmentTable>(std::move(table)));
    return stored;
}

extern "C" int molshim_sa_has_fragment_scores(void) { return current_table() ? 1 : 0; }

namespace molshim {

double compute_sa_score(const RDKit::ROMol &mol) {
    auto table = current_table();
    if (!table) return std::numeric_limits<double>::quiet_NaN();

    // fragment score: Morgan radius-2 counts, ids ascending (GetNonzeroElements order)
    std::unique_ptr<RDKit::SparseIntVect<std::uint32_t>> fp(RDKit::MorganFingerprints::getFingerprint(mol, 2));
    double score1 = 0.;
    long nf = 0;
    const auto &elements = fp->getNonzeroElements();
    for (const auto &[id, count] : elements) {
        nf += count;
        score1 += table->score(id, -4.0) * count;
    }
    score1 /= nf;

    // features score
    const unsigned int n_atoms = mol.getNumAtoms();
    // Chem.FindMolChiralCenters(m, includeUnassigned=True): legacy AssignStereochemistry with
    // force and flagPossibleStereoCenters. It writes to the molecule, so work on a copy.
    RDKit::ROMol stereo(mol);
    RDKit::MolOps::assignStereochemistry(stereo, /*cleanIt=*/false, /*force=*/true, /*flagPossibleStereoCenters=*/true);
    unsigned int chiral_centers = 0;
    for (const auto atom : stereo.atoms()) {
        if (atom->hasProp(RDKit::common_properties::_CIPCode) ||
            atom->hasProp(RDKit::common_properties::_ChiralityPossible)) {
            ++chiral_centers;
        }
    }
    const unsigned int n_spiro = RDKit::Descriptors::calcNumSpiroAtoms(mol);
    const unsigned int n_bridgeheads = RDKit::Descriptors::calcNumBridgeheadAtoms(mol);
    unsigned int n_macrocycles = 0;
    for (const auto &ring : mol.getRingInfo()->atomRings()) {
        if (ring.size() > 8) ++n_macrocycles;
    }

    const double size_penalty = std::pow(static_cast<double>(n_atoms), 1.005) - n_atoms;
    const double stereo_penalty = std::log10(chiral_centers + 1);
    const double spiro_penalty = std::log10(n_spiro + 1);
    const double bridge_penalty = std::log10(n_bridgeheads + 1);
    // Contrib uses log10(2) for any number of macrocycles (not the paper's log10(n + 1)).
    const double macrocycle_penalty = n_macrocycles > 0 ? std::log10(2) : 0.;
    const double score2 = 0. - size_penalty - stereo_penalty - spiro_penalty - bridge_penalty - macrocycle_penalty;

    // fingerprint density correction (Contrib version 1.1): symmetric molecules are easier
    double score3 = 0.;
    if (n_atoms > elements.size()) {
        score3 = std::log(static_cast<double>(n_atoms) / elements.size()) * .5;
    }

    double sascore = score1 + score2 + score3;
    const double min = -4.0, max = 2.5;
    sascore = 11. - (sascore - min + 1) / (max - min) * 9.;
    if (sascore > 8.) sascore = 8. + std::log(sascore + 1. - 9.);
    if (sascore > 10.) {
        sascore = 10.0;
    } else if (sascore < 1.) {
        sascore = 1.0;
    }
    return sascore;
}

}  // namespace molshim

extern "C" double molshim_mol_sa_score(const molshim_mol *mol, char **error) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (!mol) {
        set_error(error, "null molecule");
        return nan;
    }
    if (!current_table()) {
        set_error(error, "SA score fragment table not loaded");
        return nan;
    }
    return guarded<double>(error, nan, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        return compute_sa_score(*mol->mol);
    });
}
