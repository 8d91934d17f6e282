// Bertz's molecular complexity index, a C++ port of rdkit.Chem.GraphDescriptors.BertzCT
// (RDKit 2022.09), which exists only in Python. GuacaMol's KL benchmark uses it, and its values
// must equal Python's, so the port keeps the Python code's every quirk:
// - symmetry classes are equal rows of the bond-order-weighted distance matrix, compared as
//   sorted rows printed with '%.4f' and cut after `cutoff` (100) entries, numbered in order of
//   first appearance;
// - a bond's order is 1.5 when aromatic, otherwise the numeric value of its BondType enum
//   (so a dative bond counts 17, as float(Chem.BondType.DATIVE) does in Python);
// - connection counts are summed in the Python dict's insertion order, and the entropies are
//   rdkit.ML.InfoTheory's C++ InfoEntropy (divided by log 2 at the end).
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/MolOps.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace molshim;

namespace {

constexpr unsigned kCutoff = 100;  // BertzCT's default `cutoff`

// rdkit.ML.InfoTheory InfoEntropy<T>: the total in T, each share as a double.
template <typename T>
double info_entropy(const std::vector<T> &counts) {
    T total = 0;
    for (T c : counts) total += c;
    double accum = 0.0;
    if (total != 0) {
        for (T c : counts) {
            double d = static_cast<double>(c) / total;
            if (d != 0) accum += -d * std::log(d);
        }
    }
    return accum / std::log(2.0);
}

// _AssignSymmetryClasses: 1-based class per atom, in order of first appearance.
std::vector<int> symmetry_classes(const RDKit::ROMol &mol, unsigned n) {
    const double *dist = RDKit::MolOps::getDistanceMat(mol, /*useBO=*/true, /*useAtomWts=*/false,
                                                       /*force=*/true, "Balaban");
    std::map<std::string, int> seen;
    std::vector<int> classes(n);
    std::vector<double> row(n);
    char text[64];
    for (unsigned i = 0; i < n; ++i) {
        std::copy(dist + i * n, dist + (i + 1) * n, row.begin());
        std::sort(row.begin(), row.end());
        std::string key;
        for (unsigned k = 0; k < std::min(n, kCutoff); ++k) {
            std::snprintf(text, sizeof text, "%.4f,", row[k]);
            key += text;
        }
        const int next = static_cast<int>(seen.size()) + 1;
        classes[i] = seen.emplace(key, next).first->second;
    }
    return classes;
}

// _LookUpBondOrder over _CreateBondDictEtc's dictionary.
double bond_order(const RDKit::Bond &bond) {
    if (bond.getIsAromatic() || bond.getBondType() == RDKit::Bond::AROMATIC) return 1.5;
    return static_cast<double>(bond.getBondType());
}

// Values keyed like the Python dict, remembering insertion order.
struct OrderedCounts {
    std::map<std::array<int, 3>, size_t> index;
    std::vector<double> values;
    void add(const std::array<int, 3> &key, double amount) {
        auto found = index.emplace(key, values.size());
        if (found.second) values.push_back(0.0);
        values[found.first->second] += amount;
    }
};

double compute_bertz_ct(const RDKit::ROMol &mol) {
    const unsigned n = mol.getNumAtoms();
    if (n < 2) return 0;
    // Neighbours sorted by index, each with the bond order (nList and bondDict).
    std::vector<std::vector<std::pair<unsigned, double>>> neighbors(n);
    for (const auto bond : mol.bonds()) {
        const unsigned a = bond->getBeginAtomIdx(), b = bond->getEndAtomIdx();
        const double order = bond_order(*bond);
        neighbors[a].emplace_back(b, order);
        neighbors[b].emplace_back(a, order);
    }
    for (auto &list : neighbors) std::sort(list.begin(), list.end());
    const std::vector<int> classes = symmetry_classes(mol, n);

    std::map<int, size_t> typeIndex;  // atomTypeDict, in insertion order
    std::vector<long> typeCounts;
    // Pair keys (bonds of order > 1) end in 0; class numbers start at 1, so they never collide
    // with the triple keys of two bonds meeting at a hinge atom.
    OrderedCounts connections;
    for (unsigned atom = 0; atom < n; ++atom) {
        auto type = typeIndex.emplace(mol.getAtomWithIdx(atom)->getAtomicNum(), typeCounts.size());
        if (type.second) typeCounts.push_back(0);
        typeCounts[type.first->second] += 1;

        const int hinge = classes[atom];
        const auto &list = neighbors[atom];
        for (size_t i = 0; i < list.size(); ++i) {
            const int ci = classes[list[i].first];
            const double oi = list[i].second;
            if (oi > 1 && list[i].first > atom) {
                connections.add({std::min(hinge, ci), std::max(hinge, ci), 0}, oi * (oi - 1) / 2);
            }
            for (size_t j = i + 1; j < list.size(); ++j) {
                const int cj = classes[list[j].first];
                connections.add({std::min(ci, cj), hinge, std::max(ci, cj)}, oi * list[j].second);
            }
        }
    }
    if (connections.values.empty()) connections.values.push_back(1.0);  // {'a': 1}

    // _CalculateEntropies
    double total = 0;
    for (double v : connections.values) total += v;
    const double connectionIE =
        total * (info_entropy(connections.values) + std::log(total) / std::log(2.0));
    const double atomTypeIE = static_cast<double>(n) * info_entropy(typeCounts);
    return atomTypeIE + connectionIE;
}

}  // namespace

extern "C" double molshim_mol_bertz_ct(const molshim_mol *mol, char **error) {
    if (!mol) {
        set_error(error, "null molecule");
        return NAN;
    }
    return guarded<double>(error, NAN, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        return compute_bertz_ct(*mol->mol);
    });
}
