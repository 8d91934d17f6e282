// The shape every count fingerprint of the shim shares (Morgan counts, FCFP, atom pairs): check
// the arguments, build RDKit's SparseIntVect under the molecule's lock, and hand its nonzero
// elements to Swift as two malloc'd arrays, ids ascending. Include after boost_compat.hpp.
#pragma once

#include "molshim.h"
#include "shim_internal.hpp"

#include <DataStructs/SparseIntVect.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace molshim {

// Copies a sparse count vector (std::map, ids ascending) into two malloc'd arrays.
template <typename Index>
void export_counts(const RDKit::SparseIntVect<Index> &fp, uint32_t **ids, uint32_t **counts, size_t *length) {
    const auto &elements = fp.getNonzeroElements();
    size_t n = elements.size();
    auto *id_buffer = static_cast<uint32_t *>(std::malloc(std::max<size_t>(n, 1) * sizeof(uint32_t)));
    auto *count_buffer = static_cast<uint32_t *>(std::malloc(std::max<size_t>(n, 1) * sizeof(uint32_t)));
    if (!id_buffer || !count_buffer) {
        std::free(id_buffer);
        std::free(count_buffer);
        throw std::bad_alloc();
    }
    size_t i = 0;
    for (const auto &[id, count] : elements) {
        bool negative = count < 0;
        if constexpr (std::is_signed_v<Index>) negative = negative || id < 0;
        if (negative) {
            std::free(id_buffer);
            std::free(count_buffer);
            throw std::runtime_error("negative fingerprint index or count");
        }
        id_buffer[i] = static_cast<uint32_t>(id);
        count_buffer[i] = static_cast<uint32_t>(count);
        ++i;
    }
    *ids = id_buffer;
    *counts = count_buffer;
    *length = n;
}

// The C entry point of a count fingerprint: `make(romol)` returns a new SparseIntVect (called
// under the molecule's lock); 1 on success, 0 with *error set.
template <typename Make>
int count_fingerprint(const molshim_mol *mol, uint32_t **ids, uint32_t **counts, size_t *length, char **error, Make &&make) {
    if (!mol || !ids || !counts || !length) {
        set_error(error, "null molecule or output");
        return 0;
    }
    *ids = nullptr;
    *counts = nullptr;
    *length = 0;
    return guarded<int>(error, 0, [&] {
        std::unique_ptr<std::remove_pointer_t<decltype(make(*mol->mol))>> fp;
        {
            std::lock_guard<std::mutex> hold(mol->lock);
            fp.reset(make(*mol->mol));
        }
        export_counts(*fp, ids, counts, length);
        return 1;
    });
}

}  // namespace molshim
