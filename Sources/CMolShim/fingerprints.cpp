// Morgan fingerprints as AllChem.GetMorganFingerprintAsBitVect / GetMorganFingerprint (RDKit
// 2022.09 defaults: no chirality, bond types on). Bits come back packed in 64-bit words so
// Swift can compute Tanimoto with popcount without another boundary crossing.
#include "boost_compat.hpp"
#include "molshim.h"
#include "count_fingerprint.hpp"
#include "shim_internal.hpp"

#include <DataStructs/ExplicitBitVect.h>
#include <DataStructs/SparseIntVect.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>

using namespace molshim;

extern "C" int molshim_mol_morgan_bits(const molshim_mol *mol, uint32_t radius, uint32_t n_bits,
                                       uint64_t *words, char **error) {
    if (!mol || !words || n_bits == 0 || n_bits % 64 != 0) {
        set_error(error, "null molecule/output or bit count not a positive multiple of 64");
        return 0;
    }
    return guarded<int>(error, 0, [&] {
        std::unique_ptr<ExplicitBitVect> fp;
        {
            std::lock_guard<std::mutex> hold(mol->lock);
            fp.reset(RDKit::MorganFingerprints::getFingerprintAsBitVect(*mol->mol, radius, n_bits));
        }
        std::fill(words, words + n_bits / 64, 0);
        IntVect on;
        fp->getOnBits(on);
        for (int bit : on) words[bit / 64] |= uint64_t(1) << (bit % 64);
        return 1;
    });
}

extern "C" int molshim_mol_morgan_counts(const molshim_mol *mol, uint32_t radius, uint32_t **ids,
                                         uint32_t **counts, size_t *length, char **error) {
    return count_fingerprint(mol, ids, counts, length, error, [&](const RDKit::ROMol &romol) {
        return RDKit::MorganFingerprints::getFingerprint(romol, radius);
    });
}
