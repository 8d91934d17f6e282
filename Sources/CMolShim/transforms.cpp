// Scaffolds and fragments as MOSES computes them (moses/metrics/utils.py compute_scaffold and
// fragmenter), which call MurckoScaffold.GetScaffoldForMol and AllChem.FragmentOnBRICSBonds.
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/ChemTransforms/ChemTransforms.h>
#include <GraphMol/ChemTransforms/MolFragmenter.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>

using namespace molshim;

extern "C" char *molshim_mol_murcko_scaffold(const molshim_mol *mol, int32_t *ring_count, char **error) {
    if (!mol) {
        set_error(error, "null molecule");
        return nullptr;
    }
    return guarded<char *>(error, nullptr, [&] {
        std::unique_ptr<RDKit::ROMol> scaffold;
        {
            std::lock_guard<std::mutex> hold(mol->lock);
            scaffold.reset(RDKit::MurckoDecompose(*mol->mol));
        }
        if (!scaffold) throw std::runtime_error("Murcko decomposition failed");
        // GetScaffoldForMol: ClearComputedProps, UpdatePropertyCache, GetSymmSSSR.
        scaffold->clearComputedProps();
        scaffold->updatePropertyCache();
        RDKit::MolOps::symmetrizeSSSR(*scaffold);
        store(ring_count, static_cast<int32_t>(scaffold->getRingInfo()->numRings()));
        return copy_string(RDKit::MolToSmiles(*scaffold));
    });
}

extern "C" char *molshim_mol_brics_fragments(const molshim_mol *mol, char **error) {
    if (!mol) {
        set_error(error, "null molecule");
        return nullptr;
    }
    return guarded<char *>(error, nullptr, [&] {
        std::unique_ptr<RDKit::ROMol> pieces;
        {
            std::lock_guard<std::mutex> hold(mol->lock);
            pieces.reset(RDKit::MolFragmenter::fragmentOnBRICSBonds(*mol->mol));
        }
        if (!pieces) throw std::runtime_error("BRICS fragmentation failed");
        return copy_string(RDKit::MolToSmiles(*pieces));
    });
}
