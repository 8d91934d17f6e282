// molshim: a C ABI over RDKit 2022.09, modelled on RDKit's MinimalLib C API.
//
// A molecule is parsed once into an opaque handle and scored many times. Every function
// catches C++ exceptions; errors come back as strings. Strings returned by the shim are
// owned by the caller and released with molshim_free_string.
#ifndef MOLSHIM_H
#define MOLSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct molshim_mol molshim_mol;

// ---- I/O ---------------------------------------------------------------------------------
// Parses and sanitizes a SMILES string of `length` bytes. Returns NULL on failure and, when
// `error` is not NULL, stores a newly allocated message there. A molecule with no atoms is a
// failure (the MOSES/GuacaMol validity rule).
molshim_mol *molshim_mol_from_smiles(const char *smiles, size_t length, char **error);
void molshim_mol_free(molshim_mol *mol);
// Canonical SMILES (RDKit default, isomeric) or, with isomeric = 0, without stereo/isotopes.
char *molshim_mol_to_smiles(const molshim_mol *mol, int isomeric);

// ---- housekeeping ------------------------------------------------------------------------
void molshim_free_string(char *string);
// RDKit's own loggers (rdApp.*) write to stderr; the shim turns them off by default.
void molshim_set_logging(int enabled);
const char *molshim_rdkit_version(void);

#ifdef __cplusplus
}
#endif
#endif
