// Physico-chemical descriptors, each the RDKit C++ call behind the Python function named in
// molshim.h, computed in one pass so Swift crosses the boundary once per molecule.
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/Descriptors/Crippen.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Descriptors/MolDescriptors.h>
#include <GraphMol/Descriptors/MolSurf.h>
#include <GraphMol/MolOps.h>

#include <algorithm>

using namespace molshim;

namespace molshim {

void compute_descriptors(const RDKit::ROMol &mol, molshim_descriptors &out) {
    namespace D = RDKit::Descriptors;
    double logp = 0, mr = 0;
    // force = true: never trust a cached value; Python computes on a fresh molecule.
    D::calcCrippenDescriptors(mol, logp, mr, /*includeHs=*/true, /*force=*/true);
    out.logp = logp;
    out.molar_refractivity = mr;
    out.average_mw = D::calcAMW(mol);
    out.exact_mw = D::calcExactMW(mol);
    out.tpsa = D::calcTPSA(mol, /*force=*/true);
    out.hbd = static_cast<int32_t>(D::calcNumHBD(mol));
    out.hba = static_cast<int32_t>(D::calcNumHBA(mol));
    out.rotatable_bonds = static_cast<int32_t>(D::calcNumRotatableBonds(mol));
    out.rings = static_cast<int32_t>(D::calcNumRings(mol));
    out.aromatic_rings = static_cast<int32_t>(D::calcNumAromaticRings(mol));
    out.heavy_atoms = static_cast<int32_t>(mol.getNumHeavyAtoms());
    out.formal_charge = RDKit::MolOps::getFormalCharge(mol);
    int32_t largest = 0;
    for (const auto &ring : mol.getRingInfo()->atomRings()) {
        largest = std::max(largest, static_cast<int32_t>(ring.size()));
    }
    out.largest_ring = largest;
    out.aliphatic_rings = static_cast<int32_t>(D::calcNumAliphaticRings(mol));
}

}  // namespace molshim

extern "C" int molshim_mol_descriptors(const molshim_mol *mol, molshim_descriptors *out, char **error) {
    if (!mol || !out) {
        set_error(error, "null molecule or output");
        return 0;
    }
    return guarded<int>(error, 0, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        compute_descriptors(*mol->mol, *out);
        return 1;
    });
}

extern "C" int molshim_mol_scores(const molshim_mol *mol, molshim_scores *out, char **error) {
    if (!mol || !out) {
        set_error(error, "null molecule or output");
        return 0;
    }
    return guarded<int>(error, 0, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        compute_descriptors(*mol->mol, out->descriptors);
        out->qed = compute_qed(*mol->mol, &out->descriptors);
        out->sa = compute_sa_score(*mol->mol);
        return 1;
    });
}
