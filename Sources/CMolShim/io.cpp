#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>

using namespace molshim;

extern "C" molshim_mol *molshim_mol_from_smiles(const char *smiles, size_t length, char **error) {
    ensure_logging_configured();
    return guarded<molshim_mol *>(error, nullptr, [&]() -> molshim_mol * {
        std::string text(smiles ? smiles : "", smiles ? length : 0);
        if (text.find('\0') != std::string::npos) {
            set_error(error, "SMILES contains a NUL byte");
            return nullptr;
        }
        clear_captured_errors();
        std::unique_ptr<RDKit::RWMol> parsed(RDKit::SmilesToMol(text));
        if (!parsed) {
            const std::string detail = captured_parse_error();
            set_error(error, detail.empty() ? "RDKit could not parse the SMILES"
                                            : "RDKit could not parse the SMILES: " + detail);
            return nullptr;
        }
        if (parsed->getNumAtoms() == 0) {
            set_error(error, "molecule has no atoms");
            return nullptr;
        }
        return new molshim_mol{std::unique_ptr<RDKit::ROMol>(parsed.release())};
    });
}

extern "C" void molshim_mol_free(molshim_mol *mol) { delete mol; }

extern "C" char *molshim_mol_to_smiles(const molshim_mol *mol, int isomeric) {
    if (!mol) return nullptr;
    return guarded<char *>(nullptr, nullptr, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);  // MolToSmiles caches ranks on the molecule
        return copy_string(RDKit::MolToSmiles(*mol->mol, isomeric != 0));
    });
}
