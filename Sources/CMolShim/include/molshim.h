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

// ---- calculators: descriptors.cpp, qed.cpp, sascore.cpp, bertz.cpp ------------------------
// Every descriptor of one molecule, filled by one call so Swift crosses the boundary once.
// Values are those of the Python functions named (RDKit 2022.09).
typedef struct molshim_descriptors {
    double logp;             // Crippen.MolLogP (Wildman-Crippen, implicit Hs included)
    double molar_refractivity; // Crippen.MolMR
    double average_mw;       // Descriptors.MolWt
    double exact_mw;         // Descriptors.ExactMolWt
    double tpsa;             // rdMolDescriptors.CalcTPSA (N and O only)
    int32_t hbd;             // Lipinski.NumHDonors (= CalcNumHBD)
    int32_t hba;             // Lipinski.NumHAcceptors (= CalcNumHBA)
    int32_t rotatable_bonds; // Descriptors.NumRotatableBonds (RDKit default = strict)
    int32_t rings;           // Lipinski.RingCount (SSSR)
    int32_t aromatic_rings;  // Lipinski.NumAromaticRings
    int32_t heavy_atoms;     // Mol.GetNumHeavyAtoms
    int32_t formal_charge;   // Chem.GetFormalCharge (sum over atoms)
    int32_t largest_ring;    // max size over GetRingInfo().AtomRings(), 0 without rings
    int32_t aliphatic_rings; // Lipinski.NumAliphaticRings (= CalcNumAliphaticRings)
} molshim_descriptors;

// Returns 1 and fills `out`, or 0 with an error.
int molshim_mol_descriptors(const molshim_mol *mol, molshim_descriptors *out, char **error);
// rdkit.Chem.QED.qed with the default (mean) weights; NaN with an error on failure.
double molshim_mol_qed(const molshim_mol *mol, char **error);

// Installs the SA score fragment table (RDKit Contrib fpscores: Morgan r=2 id -> score). The
// shim keeps a copy; calling again replaces it. Returns the number of distinct ids stored.
size_t molshim_sa_set_fragment_scores(const uint32_t *ids, const double *scores, size_t count);
// 1 when a fragment table has been installed.
int molshim_sa_has_fragment_scores(void);
// Contrib sascorer.calculateScore (1 easy .. 10 hard); NaN with an error on failure or when no
// fragment table is installed.
double molshim_mol_sa_score(const molshim_mol *mol, char **error);

// Descriptors, QED and SA score in one call (the batch scorer's unit of work). `sa` is NaN,
// without failing the call, when no fragment table is installed.
typedef struct molshim_scores {
    molshim_descriptors descriptors;
    double qed;
    double sa;
} molshim_scores;
int molshim_mol_scores(const molshim_mol *mol, molshim_scores *out, char **error);

// GraphDescriptors.BertzCT (default cutoff 100): Bertz's complexity index, ported from RDKit's
// Python (bertz.cpp says how exactly); 0 below two atoms. NaN with an error on failure.
double molshim_mol_bertz_ct(const molshim_mol *mol, char **error);

// ---- fingerprints.cpp --------------------------------------------------------------------
// Morgan (ECFP-like) bit vector as AllChem.GetMorganFingerprintAsBitVect(mol, radius, n_bits),
// packed little-endian into n_bits / 64 words: bit i is (words[i / 64] >> (i % 64)) & 1.
// n_bits must be a positive multiple of 64. Returns 1, or 0 with an error.
int molshim_mol_morgan_bits(const molshim_mol *mol, uint32_t radius, uint32_t n_bits,
                            uint64_t *words, char **error);
// Unhashed Morgan counts as AllChem.GetMorganFingerprint(mol, radius): ids ascending with their
// counts, in two arrays the caller frees with molshim_free_buffer. Returns 1, or 0 with an error.
int molshim_mol_morgan_counts(const molshim_mol *mol, uint32_t radius, uint32_t **ids,
                              uint32_t **counts, size_t *length, char **error);

// ---- transforms.cpp ----------------------------------------------------------------------
// Bemis-Murcko scaffold as MurckoScaffold.GetScaffoldForMol then MolToSmiles ("" for acyclic
// molecules); `ring_count` (may be NULL) receives the scaffold's ring count, which MOSES's
// compute_scaffold compares against min_rings. NULL with an error on failure.
char *molshim_mol_murcko_scaffold(const molshim_mol *mol, int32_t *ring_count, char **error);
// AllChem.FragmentOnBRICSBonds then MolToSmiles: fragments joined by '.', dummy atoms marking
// the broken bonds (MOSES `fragmenter` splits this on '.').
char *molshim_mol_brics_fragments(const molshim_mol *mol, char **error);

// ---- filters.cpp -------------------------------------------------------------------------
// A list of compiled SMARTS, immutable once made and safe to match from many threads.
typedef struct molshim_smarts_set molshim_smarts_set;
// Compiles `count` SMARTS (leading/trailing blanks ignored). NULL with an error naming the first
// pattern that does not compile. `screen`: 1 prescreens matches with RDKit's pattern
// fingerprint (exact: a pattern is skipped only when it cannot match), 0 runs SubstructMatch for
// every pattern, -1 screens unless the environment variable MOLVAE_NO_FILTER_SCREEN is set.
molshim_smarts_set *molshim_smarts_set_create(const char *const *smarts, size_t count, int screen, char **error);
void molshim_smarts_set_free(molshim_smarts_set *set);
size_t molshim_smarts_set_count(const molshim_smarts_set *set);
// Sets matched[i] to 1 when pattern i matches (0 otherwise) and returns how many matched, or -1
// with an error. With explicit_hydrogens != 0 the molecule is matched after Chem.AddHs, as MOSES
// does (its SMARTS name hydrogens).
int32_t molshim_mol_match_smarts_set(const molshim_mol *mol, const molshim_smarts_set *set,
                                     int explicit_hydrogens, uint8_t *matched, char **error);
// moses.metrics.utils.mol_passes_filters: no ring of 8+ atoms, no charged atom, only
// C N S O F Cl Br H, no match of `filters` on the molecule with explicit Hs, and the flat
// canonical SMILES parses again. Returns 1 (passes), 0 (fails; `reason` says which rule) or -1
// (error).
int molshim_mol_passes_moses_filters(const molshim_mol *mol, const molshim_smarts_set *filters,
                                     char **reason, char **error);

// ---- goal_directed.cpp: GuacaMol's goal-directed scoring (guacamol 0.5.5) ----------------
// Unhashed Morgan counts on feature invariants, AllChem.GetMorganFingerprint(mol, radius,
// useFeatures=True) (FCFP), in the form of molshim_mol_morgan_counts. Returns 1, or 0 with an error.
int molshim_mol_feature_morgan_counts(const molshim_mol *mol, uint32_t radius, uint32_t **ids,
                                      uint32_t **counts, size_t *length, char **error);
// AllChem.GetAtomPairFingerprint(mol, maxLength=max_length) (minLength 1), as above.
int molshim_mol_atom_pair_counts(const molshim_mol *mol, uint32_t max_length, uint32_t **ids,
                                 uint32_t **counts, size_t *length, char **error);
// rdkit.Chem.Pharm2D.Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory) (GuacaMol's PHCO):
// its on bits ascending (the signature has 39,972 bits), freed with molshim_free_buffer.
int molshim_mol_gobbi_pharm2d(const molshim_mol *mol, uint32_t **bits, size_t *length, char **error);
// GuacaMol's AtomCounter for each of `count` element symbols (hydrogens counted after
// Chem.AddHs, other elements on the molecule as it is) and num_atoms (atoms after Chem.AddHs).
int molshim_mol_element_counts(const molshim_mol *mol, const char *const *symbols, size_t count,
                               int32_t *counts, int32_t *atoms_with_hydrogens, char **error);

// ---- drawing.cpp -------------------------------------------------------------------------
// SVG depiction (prepareMolForDrawing + MolDraw2DSVG) of width x height pixels.
char *molshim_mol_to_svg(const molshim_mol *mol, int32_t width, int32_t height, char **error);

// ---- housekeeping ------------------------------------------------------------------------
void molshim_free_string(char *string);
// Frees arrays the shim allocated (fingerprint ids and counts).
void molshim_free_buffer(void *buffer);
// RDKit's own loggers (rdApp.*) write to stderr; the shim turns them off by default.
void molshim_set_logging(int enabled);
const char *molshim_rdkit_version(void);

#ifdef __cplusplus
}
#endif
#endif
