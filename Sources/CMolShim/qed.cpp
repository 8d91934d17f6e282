// QED exactly as rdkit.Chem.QED.qed (RDKit 2022.09, descriptor version 1.1.0) with the default
// WEIGHT_MEAN: the same eight properties on RemoveHs(mol), the same acceptor and structural-alert
// SMARTS, and the same floating-point order of operations.
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/ChemTransforms/ChemTransforms.h>
#include <GraphMol/Descriptors/Crippen.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Descriptors/MolDescriptors.h>
#include <GraphMol/Descriptors/MolSurf.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace molshim;

namespace {

const char *const kAcceptorSmarts[] = {
    "[oH0;X2]", "[OH1;X2;v2]", "[OH0;X2;v2]", "[OH0;X1;v2]", "[O-;X1]", "[SH0;X2;v2]",
    "[SH0;X1;v2]", "[S-;X1]", "[nH0;X2]", "[NH0;X1;v3]", "[$([N;+0;X3;v3]);!$(N[C,S]=O)]",
};

const char *const kAlertSmarts[] = {
    "*1[O,S,N]*1", "[S,C](=[O,S])[F,Br,Cl,I]", "[CX4][Cl,Br,I]", "[#6]S(=O)(=O)O[#6]",
    "[$([CH]),$(CC)]#CC(=O)[#6]", "[$([CH]),$(CC)]#CC(=O)O[#6]", "n[OH]",
    "[$([CH]),$(CC)]#CS(=O)(=O)[#6]", "C=C(C=O)C=O", "n1c([F,Cl,Br,I])cccc1", "[CH1](=O)",
    "[#8][#8]", "[C;!R]=[N;!R]", "[N!R]=[N!R]", "[#6](=O)[#6](=O)", "[#16][#16]", "[#7][NH2]",
    "C(=O)N[NH2]", "[#6]=S",
    "[$([CH2]),$([CH][CX4]),$(C([CX4])[CX4])]=[$([CH2]),$([CH][CX4]),$(C([CX4])[CX4])]",
    "C1(=[O,N])C=CC(=[O,N])C=C1", "C1(=[O,N])C(=[O,N])C=CC=C1", "a21aa3a(aa1aaaa2)aaaa3",
    "a31a(a2a(aa1)aaaa2)aaaa3", "a1aa2a3a(a1)A=AA=A3=AA=A2", "c1cc([NH2])ccc1",
    "[Hg,Fe,As,Sb,Zn,Se,se,Te,B,Si,Na,Ca,Ge,Ag,Mg,K,Ba,Sr,Be,Ti,Mo,Mn,Ru,Pd,Ni,Cu,Au,Cd,"
    "Al,Ga,Sn,Rh,Tl,Bi,Nb,Li,Pb,Hf,Ho]",
    "I", "OS(=O)(=O)[O-]", "[N+](=O)[O-]", "C(=O)N[OH]", "C1NC(=O)NC(=O)1", "[SH]", "[S-]",
    "c1ccc([Cl,Br,I,F])c([Cl,Br,I,F])c1[Cl,Br,I,F]", "c1cc([Cl,Br,I,F])cc([Cl,Br,I,F])c1[Cl,Br,I,F]",
    "[CR1]1[CR1][CR1][CR1][CR1][CR1][CR1]1", "[CR1]1[CR1][CR1]cc[CR1][CR1]1",
    "[CR2]1[CR2][CR2][CR2][CR2][CR2][CR2][CR2]1", "[CR2]1[CR2][CR2]cc[CR2][CR2][CR2]1",
    "[CH2R2]1N[CH2R2][CH2R2][CH2R2][CH2R2][CH2R2]1",
    "[CH2R2]1N[CH2R2][CH2R2][CH2R2][CH2R2][CH2R2][CH2R2]1", "C#C",
    "[OR2,NR2]@[CR2]@[CR2]@[OR2,NR2]@[CR2]@[CR2]@[OR2,NR2]", "[$([N+R]),$([n+R]),$([N+]=C)][O-]",
    "[#6]=N[OH]", "[#6]=NOC=O", "[#6](=O)[CX4,CR0X3,O][#6](=O)", "c1ccc2c(c1)ccc(=O)o2",
    "[O+,o+,S+,s+]", "N=C=O", "[NX3,NX4][F,Cl,Br,I]", "c1ccccc1OC(=O)[#6]", "[CR0]=[CR0][CR0]=[CR0]",
    "[C+,c+,C-,c-]", "N=[N+]=[N-]", "C12C(NC(N1)=O)CSC2", "c1c([OH])c([OH,NH2,NH])ccc1", "P",
    "[N,O,S]C#N", "C=C=O", "[Si][F,Cl,Br,I]", "[SX2]O", "[SiR0,CR0](c1ccccc1)(c2ccccc2)(c3ccccc3)",
    "O1CCCCC1OC2CCC3CCCCC3C2", "N=[CR0][N,n,O,S]",
    "[cR2]1[cR2][cR2]([Nv3X3,Nv4X4])[cR2][cR2][cR2]1[cR2]2[cR2][cR2][cR2]([Nv3X3,Nv4X4])[cR2][cR2]2",
    "C=[C!r]C#N", "[cR2]1[cR2]c([N+0X3R0,nX3R0])c([N+0X3R0,nX3R0])[cR2][cR2]1",
    "[cR2]1[cR2]c([N+0X3R0,nX3R0])[cR2]c([N+0X3R0,nX3R0])[cR2]1",
    "[cR2]1[cR2]c([N+0X3R0,nX3R0])[cR2][cR2]c1([N+0X3R0,nX3R0])", "[OH]c1ccc([OH,NH2,NH])cc1",
    "c1ccccc1OC(=O)O", "[SX2H0][N]", "c12ccccc1(SC(S)=N2)", "c12ccccc1(SC(=S)N2)", "c1nnnn1C=O",
    "s1c(S)nnc1NC=O", "S1C=CSC1=S", "C(=O)Onnn", "OS(=O)(=O)C(F)(F)F", "N#CC[OH]", "N#CC(=O)",
    "S(=O)(=O)C#N", "N[CH2]C#N", "C1(=O)NCC1", "S(=O)(=O)[O-,OH]", "NC[F,Cl,Br,I]", "C=[C!r]O",
    "[NX2+0]=[O+0]", "[OR0,NR0][OR0,NR0]", "C(=O)O[C,H1].C(=O)O[C,H1].C(=O)O[C,H1]",
    "[CX2R0][NX3R0]", "c1ccccc1[C;!R]=[C;!R]c2ccccc2",
    "[NX3R0,NX4R0,OR0,SX2R0][CX4][NX3R0,NX4R0,OR0,SX2R0]",
    "[s,S,c,C,n,N,o,O]~[n+,N+](~[s,S,c,C,n,N,o,O])(~[s,S,c,C,n,N,o,O])~[s,S,c,C,n,N,o,O]",
    "[s,S,c,C,n,N,o,O]~[nX3+,NX3+](~[s,S,c,C,n,N])~[s,S,c,C,n,N]", "[*]=[N+]=[*]",
    "[SX3](=O)[O-,OH]", "N#N", "F.F.F.F", "[R0;D2][R0;D2][R0;D2][R0;D2]",
    "[cR,CR]~C(=O)NC(=O)~[cR,CR]", "C=!@CC=[O,S]", "[#6,#8,#16][#6](=O)O[#6]", "c[C;R0](=[O,S])[#6]",
    "c[SX2][C;!R]", "C=C=C", "c1nc([F,Cl,Br,I,S])ncc1", "c1ncnc([F,Cl,Br,I,S])c1",
    "c1nc(c2c(n1)nc(n2)[F,Cl,Br,I])", "[#6]S(=O)(=O)c1ccc(cc1)F", "[15N]", "[13C]", "[18O]", "[34S]",
};

struct AdsParameter {
    double a, b, c, d, e, f, dmax;
};

// Order: MW, ALOGP, HBA, HBD, PSA, ROTB, AROM, ALERTS (the QEDproperties namedtuple).
const AdsParameter kAds[8] = {
    {2.817065973, 392.5754953, 290.7489764, 2.419764353, 49.22325677, 65.37051707, 104.9805561},
    {3.172690585, 137.8624751, 2.534937431, 4.581497897, 0.822739154, 0.576295591, 131.3186604},
    {2.948620388, 160.4605972, 3.615294657, 4.435986202, 0.290141953, 1.300669958, 148.7763046},
    {1.618662227, 1010.051101, 0.985094388, 0.000000001, 0.713820843, 0.920922555, 258.1632616},
    {1.876861559, 125.2232657, 62.90773554, 87.83366614, 12.01999824, 28.51324732, 104.5686167},
    {0.010000000, 272.4121427, 2.558379970, 1.565547684, 1.271567166, 2.758063707, 105.4420403},
    {3.217788970, 957.7374108, 2.274627939, 0.000000001, 1.317690384, 0.375760881, 312.3372610},
    {0.010000000, 1199.094025, -0.09002883, 0.000000001, 0.185904477, 0.875193782, 417.7253140},
};
const double kWeightMean[8] = {0.66, 0.46, 0.05, 0.61, 0.06, 0.65, 0.48, 0.95};

double ads(double x, const AdsParameter &p) {
    double exp1 = 1 + std::exp(-1 * (x - p.c + p.d / 2) / p.e);
    double exp2 = 1 + std::exp(-1 * (x - p.c - p.d / 2) / p.f);
    double dx = p.a + p.b / exp1 * (1 - 1 / exp2);
    return dx / p.dmax;
}

// A compiled SMARTS plus whether it is one atom without recursive ($(...)) parts. Such a
// pattern's matches are exactly the atoms its query atom accepts (no bonds, so no chirality or
// uniqueness questions), which a loop over the atoms finds without setting up the VF2 matcher;
// recursive queries are excluded because SubstructMatch must first evaluate their sub-patterns.
struct Pattern {
    std::unique_ptr<RDKit::ROMol> mol;
    bool single_atom = false;

    // Number of matches, as SubstructMatch with uniquify and maxMatches = 1000 counts them.
    unsigned int count(const RDKit::ROMol &target) const {
        if (single_atom) {
            const RDKit::Atom *query = mol->getAtomWithIdx(0);
            unsigned int n = 0;
            for (const auto atom : target.atoms()) {
                if (query->Match(atom) && ++n == 1000) break;
            }
            return n;
        }
        std::vector<RDKit::MatchVectType> matches;
        return RDKit::SubstructMatch(target, *mol, matches, true, true, false, false, 1000);
    }

    // HasSubstructMatch.
    bool matches(const RDKit::ROMol &target) const {
        if (single_atom) {
            const RDKit::Atom *query = mol->getAtomWithIdx(0);
            for (const auto atom : target.atoms()) {
                if (query->Match(atom)) return true;
            }
            return false;
        }
        RDKit::MatchVectType match;
        return RDKit::SubstructMatch(target, *mol, match);
    }
};

Pattern compile(const char *smarts) {
    Pattern pattern;
    pattern.mol.reset(RDKit::SmartsToMol(smarts));
    if (!pattern.mol) throw std::runtime_error(std::string("QED SMARTS does not compile: ") + smarts);
    pattern.single_atom = pattern.mol->getNumAtoms() == 1 && pattern.mol->getNumBonds() == 0 &&
                          std::string(smarts).find("$(") == std::string::npos;
    return pattern;
}

// Compiled once (C++ magic statics are thread-safe) and only ever read afterwards: RDKit's
// matcher treats the query as const and, built with RDK_BUILD_THREADSAFE_SSS as Debian's is,
// guards the recursive-SMARTS caches with a mutex.
struct QedPatterns {
    Pattern aliphatic_rings = compile("[$([A;R][!a])]");
    std::vector<Pattern> acceptors;
    std::vector<Pattern> alerts;
    QedPatterns() {
        for (const char *s : kAcceptorSmarts) acceptors.push_back(compile(s));
        for (const char *s : kAlertSmarts) alerts.push_back(compile(s));
    }
};

const QedPatterns &qed_patterns() {
    static const QedPatterns patterns;
    return patterns;
}

}  // namespace

namespace molshim {

double compute_qed(const RDKit::ROMol &input, const molshim_descriptors *known) {
    namespace D = RDKit::Descriptors;
    const QedPatterns &patterns = qed_patterns();
    // QED.properties works on Chem.RemoveHs(mol). Without hydrogen atoms in the graph that copy
    // is the same molecule, so skip it and, when the caller already computed them on this very
    // molecule, reuse MW, logP, HBD, TPSA and strict rotatable bonds (RDKit's default
    // definition). This halves the cost of QED; the reference tests check it changes nothing.
    bool has_hydrogen_atoms = false;
    for (const auto atom : input.atoms()) {
        if (atom->getAtomicNum() == 1) {
            has_hydrogen_atoms = true;
            break;
        }
    }
    std::unique_ptr<RDKit::ROMol> stripped;
    if (has_hydrogen_atoms) stripped.reset(RDKit::MolOps::removeHs(input));
    const RDKit::ROMol *mol = stripped ? stripped.get() : &input;
    const bool reuse = known && !has_hydrogen_atoms;

    double properties[8];
    if (reuse) {
        properties[0] = known->average_mw;
        properties[1] = known->logp;
        properties[3] = known->hbd;
        properties[4] = known->tpsa;
        properties[5] = known->rotatable_bonds;
    } else {
        properties[0] = D::calcAMW(*mol);
        double logp = 0, mr = 0;
        D::calcCrippenDescriptors(*mol, logp, mr, true, true);
        properties[1] = logp;
        properties[3] = D::calcNumHBD(*mol);
        properties[4] = D::calcTPSA(*mol, true);
        properties[5] = D::calcNumRotatableBonds(*mol, D::Strict);
    }
    unsigned int hba = 0;
    for (const auto &pattern : patterns.acceptors) {
        // GetSubstructMatches defaults: uniquify, at most 1000 matches.
        hba += pattern.count(*mol);
    }
    properties[2] = hba;
    std::unique_ptr<RDKit::ROMol> aromatic_part(RDKit::deleteSubstructs(*mol, *patterns.aliphatic_rings.mol));
    std::vector<std::vector<int>> sssr;
    properties[6] = RDKit::MolOps::findSSSR(*aromatic_part, sssr);
    unsigned int alerts = 0;
    for (const auto &alert : patterns.alerts) {
        if (alert.matches(*mol)) ++alerts;
    }
    properties[7] = alerts;

    double t = 0, weight_sum = 0;
    for (int i = 0; i < 8; ++i) t += kWeightMean[i] * std::log(ads(properties[i], kAds[i]));
    for (int i = 0; i < 8; ++i) weight_sum += kWeightMean[i];
    return std::exp(t / weight_sum);
}

}  // namespace molshim

extern "C" double molshim_mol_qed(const molshim_mol *mol, char **error) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (!mol) {
        set_error(error, "null molecule");
        return nan;
    }
    return guarded<double>(error, nan, [&] {
        std::lock_guard<std::mutex> hold(mol->lock);
        return compute_qed(*mol->mol, nullptr);
    });
}
