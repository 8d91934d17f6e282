// The RDKit pieces of GuacaMol's goal-directed scoring functions (guacamol 0.5.5):
// utils/fingerprints.py's count fingerprints (FCFP, atom pairs), its PHCO fingerprint
// (rdkit.Chem.Pharm2D.Generate.Gen2DFingerprint with Gobbi_Pharm2D.factory, ported from RDKit
// 2022.09's Python below) and utils/descriptors.py's AtomCounter / num_atoms.
#include "boost_compat.hpp"
#include "molshim.h"
#include "count_fingerprint.hpp"
#include "shim_internal.hpp"

#include <DataStructs/SparseIntVect.h>
#include <GraphMol/Fingerprints/AtomPairs.h>
#include <GraphMol/Fingerprints/FingerprintUtil.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>
#include <GraphMol/MolChemicalFeatures/MolChemicalFeature.h>
#include <GraphMol/MolChemicalFeatures/MolChemicalFeatureFactory.h>
#include <GraphMol/MolOps.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <vector>

using namespace molshim;

namespace {

// ---- Gobbi_Pharm2D.py ----------------------------------------------------------------------
const char *const gobbi_fdef = R"FDEF(
DefineFeature Hydrophobic [$([C;H2,H1](!=*)[C;H2,H1][C;H2,H1][$([C;H1,H2,H3]);!$(C=*)]),$(C([C;H2,H3])([C;H2,H3])[C;H2,H3])]
  Family LH
  Weights 1.0
EndFeature
DefineFeature Donor [$([N;!H0;v3]),$([N;!H0;+1;v4]),$([O,S;H1;+0]),$([n;H1;+0])]
  Family HD
  Weights 1.0
EndFeature
DefineFeature Acceptor [$([O,S;H1;v2]-[!$(*=[O,N,P,S])]),$([O,S;H0;v2]),$([O,S;-]),$([N&v3;H1,H2]-[!$(*=[O,N,P,S])]),$([N;v3;H0]),$([n,o,s;+0]),F]
  Family HA
  Weights 1.0
EndFeature
DefineFeature AromaticAttachment [$([a;D3](@*)(@*)*)]
  Family AR
  Weights 1.0
EndFeature
DefineFeature AliphaticAttachment [$([A;D3](@*)(@*)*)]
  Family RR
  Weights 1.0
EndFeature
DefineFeature UnusualAtom [!#1;!#6;!#7;!#8;!#9;!#16;!#17;!#35;!#53]
  Family X
  Weights 1.0
EndFeature
DefineFeature BasicGroup [$([N;H2&+0][$([C,a]);!$([C,a](=O))]),$([N;H1&+0]([$([C,a]);!$([C,a](=O))])[$([C,a]);!$([C,a](=O))]),$([N;H0&+0]([C;!$(C(=O))])([C;!$(C(=O))])[C;!$(C(=O))]),$([N,n;X2;+0])]
  Family BG
  Weights 1.0
EndFeature
DefineFeature AcidicGroup [$([C,S](=[O,S,P])-[O;H1])]
  Family AG
  Weights 1.0
EndFeature
)FDEF";

// SigFactory(featFactory, minPointCount=2, maxPointCount=3) with SetBins(defaultBins): the
// defaults shortestPathsOnly=True, includeBondOrder=False, trianglePruneBins=True, no skipFeats,
// useCounts=False (a SparseBitVect).
struct GobbiSignatureFactory {
    std::unique_ptr<RDKit::MolChemicalFeatureFactory> features;
    // SigFactory.GetFeatFamilies: the families, sorted.
    std::vector<std::string> families;
    std::vector<std::pair<int, int>> bins{{2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 100}};
    // _scaffolds[nDists] and _starts[nPoints].
    std::map<size_t, std::vector<std::vector<int>>> scaffolds;
    std::map<int, long> starts;
    long signature_size = 0;
    int min_points = 2, max_points = 3;

    GobbiSignatureFactory() {
        features.reset(RDKit::buildFeatureFactory(std::string(gobbi_fdef)));
        if (!features) throw std::runtime_error("Gobbi feature definitions did not build");
        std::set<std::string> seen;
        for (auto it = features->beginFeatureDefs(); it != features->endFeatureDefs(); ++it) {
            if (seen.insert((*it)->getFamily()).second) families.push_back((*it)->getFamily());
        }
        std::sort(families.begin(), families.end());
        init();
    }

    // SigFactory.Init
    void init() {
        long accum = 0;
        int n_feats = static_cast<int>(families.size());
        for (int i = min_points; i <= max_points; ++i) {
            starts[i] = accum;
            auto here = possible_scaffolds(i);
            size_t n_dists = point_distances(i).size();
            scaffolds[n_dists] = here;
            accum += num_combinations(n_feats, i) * static_cast<long>(here.size());
        }
        signature_size = accum;
    }

    // Utils.nPointDistDict (2 and 3 points)
    static std::vector<std::pair<int, int>> point_distances(size_t n_points) {
        if (n_points == 2) return {{0, 1}};
        if (n_points == 3) return {{0, 1}, {0, 2}, {1, 2}};
        throw std::runtime_error("more than 3 pharmacophore points");
    }

    // Utils.comb / NumCombinations
    static long comb(long n, long k) {
        if (k > n) return 0;
        long res = 1;
        for (long i = 0; i < k; ++i) res = res * (n - i) / (i + 1);
        return res;
    }
    static long num_combinations(long items, long slots) { return comb(items + slots - 1, slots); }

    // Utils.BinsTriangleInequality
    static bool bins_triangle(std::pair<int, int> d1, std::pair<int, int> d2, std::pair<int, int> d3) {
        if (d1.second + d2.second < d3.first) return false;
        if (d2.second + d3.second < d1.first) return false;
        if (d3.second + d1.second < d2.first) return false;
        return true;
    }

    // Utils.GetPossibleScaffolds(nPts, bins, useTriangleInequality=True): GetAllCombinations with
    // noDups=0 is the lexicographic product; ScaffoldPasses checks the one triangle of 3 points.
    std::vector<std::vector<int>> possible_scaffolds(int n_points) const {
        int n_bins = static_cast<int>(bins.size());
        std::vector<std::vector<int>> out;
        if (n_points == 2) {
            for (int x = 0; x < n_bins; ++x) out.push_back({x});
            return out;
        }
        for (int a = 0; a < n_bins; ++a)
            for (int b = 0; b < n_bins; ++b)
                for (int c = 0; c < n_bins; ++c)
                    if (bins_triangle(bins[a], bins[b], bins[c])) out.push_back({a, b, c});
        return out;
    }

    // Utils.GetIndexCombinations(nItems, nSlots): non-decreasing index tuples, lexicographic.
    static void index_combinations(int items, int slots, int slot, int last, std::vector<int> &prefix,
                                   std::vector<std::vector<int>> &out) {
        if (slot >= slots) {
            out.push_back(prefix);
            return;
        }
        for (int x = last; x < items; ++x) {
            prefix.push_back(x);
            index_combinations(items, slots, slot + 1, x, prefix, out);
            prefix.pop_back();
        }
    }

    // Utils.CountUpTo
    static long count_up_to(int items, int slots, const std::vector<int> &vs, int idx = 0, int start_at = 0) {
        if (idx >= slots) return 0;
        if (idx == slots - 1) return vs[idx] - start_at;
        long accum = 0;
        for (int i = start_at; i < vs[idx]; ++i) accum += num_combinations(items - i, slots - idx - 1);
        accum += count_up_to(items, slots, vs, idx + 1, vs[idx]);
        return accum;
    }

    // Utils.OrderTriangle
    static void order_triangle(std::vector<int> &feats, std::vector<int> &dists) {
        std::set<int> distinct(feats.begin(), feats.end());
        if (distinct.size() == 3) return;
        std::array<int, 3> sums{dists[0] + dists[1], dists[0] + dists[2], dists[1] + dists[2]};
        int most = *std::max_element(sums.begin(), sums.end());
        std::array<int, 3> ireorder, dreorder;
        if (distinct.size() == 1) {
            if (sums[0] == most) {
                if (dists[0] > dists[1]) ireorder = {0, 1, 2}, dreorder = {0, 1, 2};
                else ireorder = {0, 2, 1}, dreorder = {1, 0, 2};
            } else if (sums[1] == most) {
                if (dists[0] > dists[2]) ireorder = {1, 0, 2}, dreorder = {0, 2, 1};
                else ireorder = {1, 2, 0}, dreorder = {2, 0, 1};
            } else {
                if (dists[1] > dists[2]) ireorder = {2, 0, 1}, dreorder = {1, 2, 0};
                else ireorder = {2, 1, 0}, dreorder = {2, 1, 0};
            }
        } else {
            if (feats[0] == feats[1]) {
                if (dists[1] > dists[2]) ireorder = {0, 1, 2}, dreorder = {0, 1, 2};
                else ireorder = {1, 0, 2}, dreorder = {0, 2, 1};
            } else if (feats[0] == feats[2]) {
                if (dists[0] > dists[2]) ireorder = {0, 1, 2}, dreorder = {0, 1, 2};
                else ireorder = {2, 1, 0}, dreorder = {2, 1, 0};
            } else {
                if (dists[0] > dists[1]) ireorder = {0, 1, 2}, dreorder = {0, 1, 2};
                else ireorder = {0, 2, 1}, dreorder = {1, 0, 2};
            }
        }
        std::vector<int> d{dists[dreorder[0]], dists[dreorder[1]], dists[dreorder[2]]};
        std::vector<int> f{feats[ireorder[0]], feats[ireorder[1]], feats[ireorder[2]]};
        dists = d;
        feats = f;
    }

    // SigFactory._findBinIdx (cUtils.FindBinIdx): -1 when a distance is in no bin or the bin
    // combination is not a scaffold (Python raises there).
    long find_bin_index(const std::vector<int> &dists, const std::vector<std::vector<int>> &allowed) const {
        std::vector<int> which(dists.size());
        for (size_t i = 0; i < dists.size(); ++i) {
            int where = -1;
            int lo = 0, hi = static_cast<int>(bins.size());
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (dists[i] < bins[mid].first) hi = mid;
                else if (dists[i] >= bins[mid].second) lo = mid + 1;
                else {
                    where = mid;
                    break;
                }
            }
            if (where < 0) return -1;
            which[i] = where;
        }
        auto it = std::find(allowed.begin(), allowed.end(), which);
        return it == allowed.end() ? -1 : static_cast<long>(it - allowed.begin());
    }

    // SigFactory.GetBitIdx(featIndices, dists, sortIndices=False)
    long bit_index(std::vector<int> feats, std::vector<int> dists) const {
        int n_points = static_cast<int>(feats.size());
        long start = starts.at(n_points);
        if (n_points == 3) order_triangle(feats, dists);
        const auto &allowed = scaffolds.at(dists.size());
        long offset = count_up_to(static_cast<int>(families.size()), n_points, feats) *
                      static_cast<long>(allowed.size());
        long bin = find_bin_index(dists, allowed);
        if (bin < 0) throw std::runtime_error("distance bin not found");
        return start + offset + bin;
    }
};

const GobbiSignatureFactory &gobbi_factory() {
    static const GobbiSignatureFactory factory;
    return factory;
}

using AtomIds = std::vector<int>;

// Generate._ShortestPathsMatch: the bit, or -1 for None.
long shortest_paths_match(const std::vector<const AtomIds *> &match, const std::vector<int> &perm,
                          const double *distances, unsigned int n_atoms, const GobbiSignatureFactory &factory) {
    auto pairs = GobbiSignatureFactory::point_distances(match.size());
    std::vector<int> dist(pairs.size());
    double min_d = factory.bins.front().first, max_d = factory.bins.back().second;
    for (size_t i = 0; i < pairs.size(); ++i) {
        double min_seen = max_d;
        for (int a : *match[pairs[i].first]) {
            for (int b : *match[pairs[i].second]) {
                min_seen = std::min(min_seen, distances[static_cast<size_t>(a) * n_atoms + b]);
                if (min_seen == 0 || min_seen < min_d) return -1;
            }
        }
        int d = static_cast<int>(min_seen);
        if (d == 0 || d < min_d || d >= max_d) return -1;
        dist[i] = d;
    }
    return factory.bit_index(perm, dist);
}

// Utils.GetUniqueCombinations(matchPerms, featClasses), each combination as its atom-id tuples
// in position order: the distinct sorted (class, atoms) lists. Positions of one class take
// strictly increasing features of that family; features are distinct across all positions.
void unique_combinations(const std::vector<const std::vector<AtomIds> *> &choices, const std::vector<int> &classes,
                         size_t position, std::vector<const AtomIds *> &current,
                         std::vector<std::vector<const AtomIds *>> &out) {
    if (position == choices.size()) {
        out.push_back(current);
        return;
    }
    for (const auto &candidate : *choices[position]) {
        if (position > 0 && classes[position] == classes[position - 1] && !(*current.back() < candidate)) continue;
        bool used = false;
        for (const AtomIds *other : current) used = used || (*other == candidate);
        if (used) continue;
        current.push_back(&candidate);
        unique_combinations(choices, classes, position + 1, current, out);
        current.pop_back();
    }
}

// Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory): the on bits, ascending.
std::vector<uint32_t> gobbi_pharm2d(const RDKit::ROMol &mol) {
    const auto &factory = gobbi_factory();
    const int n_feats = static_cast<int>(factory.families.size());
    unsigned int n_atoms = mol.getNumAtoms();
    const double *distances = RDKit::MolOps::getDistanceMat(mol, /*useBO=*/false);

    // SigFactory.GetMolFeats: per family (sorted), each feature's atom ids, in the
    // factory's order; sorted here since only the set of combinations matters.
    std::vector<std::vector<AtomIds>> feat_matches(n_feats);
    for (int f = 0; f < n_feats; ++f) {
        auto feats = factory.features->getFeaturesForMol(mol, factory.families[f].c_str());
        for (const auto &feat : feats) {
            AtomIds ids;
            for (const RDKit::Atom *atom : feat->getAtoms()) ids.push_back(static_cast<int>(atom->getIdx()));
            feat_matches[f].push_back(ids);
        }
        std::sort(feat_matches[f].begin(), feat_matches[f].end());
        feat_matches[f].erase(std::unique(feat_matches[f].begin(), feat_matches[f].end()), feat_matches[f].end());
    }

    std::set<uint32_t> bits;
    for (int count = factory.min_points; count <= factory.max_points; ++count) {
        std::vector<std::vector<int>> perms;
        std::vector<int> prefix;
        GobbiSignatureFactory::index_combinations(n_feats, count, 0, 0, prefix, perms);
        for (const auto &perm : perms) {
            std::vector<int> classes(perm.size(), 0);
            for (size_t i = 1; i < perm.size(); ++i)
                classes[i] = perm[i] == perm[i - 1] ? classes[i - 1] : classes[i - 1] + 1;
            std::vector<const std::vector<AtomIds> *> choices;
            for (int x : perm) choices.push_back(&feat_matches[x]);
            std::vector<std::vector<const AtomIds *>> combos;
            std::vector<const AtomIds *> current;
            unique_combinations(choices, classes, 0, current, combos);
            for (const auto &match : combos) {
                long idx = shortest_paths_match(match, perm, distances, n_atoms, factory);
                if (idx >= 0) bits.insert(static_cast<uint32_t>(idx));
            }
        }
    }
    return std::vector<uint32_t>(bits.begin(), bits.end());
}

}  // namespace

extern "C" int molshim_mol_feature_morgan_counts(const molshim_mol *mol, uint32_t radius, uint32_t **ids,
                                                 uint32_t **counts, size_t *length, char **error) {
    return count_fingerprint(mol, ids, counts, length, error, [&](const RDKit::ROMol &romol) {
        std::vector<std::uint32_t> invariants(romol.getNumAtoms());
        RDKit::MorganFingerprints::getFeatureInvariants(romol, invariants);
        return RDKit::MorganFingerprints::getFingerprint(romol, radius, &invariants);
    });
}

extern "C" int molshim_mol_atom_pair_counts(const molshim_mol *mol, uint32_t max_length, uint32_t **ids,
                                            uint32_t **counts, size_t *length, char **error) {
    return count_fingerprint(mol, ids, counts, length, error, [&](const RDKit::ROMol &romol) {
        return RDKit::AtomPairs::getAtomPairFingerprint(romol, /*minLength=*/1, max_length);
    });
}

extern "C" int molshim_mol_gobbi_pharm2d(const molshim_mol *mol, uint32_t **bits, size_t *length, char **error) {
    if (!mol || !bits || !length) {
        set_error(error, "null molecule or output");
        return 0;
    }
    *bits = nullptr;
    *length = 0;
    return guarded<int>(error, 0, [&] {
        std::vector<uint32_t> on;
        {
            std::lock_guard<std::mutex> hold(mol->lock);
            on = gobbi_pharm2d(*mol->mol);
        }
        auto *buffer = static_cast<uint32_t *>(std::malloc(std::max<size_t>(on.size(), 1) * sizeof(uint32_t)));
        if (!buffer) throw std::bad_alloc();
        std::copy(on.begin(), on.end(), buffer);
        *bits = buffer;
        *length = on.size();
        return 1;
    });
}

extern "C" int molshim_mol_element_counts(const molshim_mol *mol, const char *const *symbols, size_t count,
                                          int32_t *counts, int32_t *atoms_with_hydrogens, char **error) {
    if (!mol || (count > 0 && (!symbols || !counts))) {
        set_error(error, "null molecule or output");
        return 0;
    }
    return guarded<int>(error, 0, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        std::unique_ptr<RDKit::ROMol> with_hydrogens(RDKit::MolOps::addHs(*mol->mol));
        for (size_t i = 0; i < count; ++i) {
            std::string symbol = symbols[i] ? symbols[i] : "";
            // AtomCounter: hydrogens are counted after Chem.AddHs, other elements as they are.
            const RDKit::ROMol &counted = symbol == "H" ? *with_hydrogens : *mol->mol;
            int32_t n = 0;
            for (const RDKit::Atom *atom : counted.atoms()) n += atom->getSymbol() == symbol ? 1 : 0;
            counts[i] = n;
        }
        store(atoms_with_hydrogens, static_cast<int32_t>(with_hydrogens->getNumAtoms()));
        return 1;
    });
}
