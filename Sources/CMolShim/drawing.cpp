// SVG depiction: RDKit's MolDraw2DSVG after prepareMolForDrawing (kekulize, wedge bonds, 2D
// coordinates), on a copy so the shared molecule is never modified.
#include "boost_compat.hpp"
#include "molshim.h"
#include "shim_internal.hpp"

#include <GraphMol/MolDraw2D/MolDraw2DSVG.h>
#include <GraphMol/MolDraw2D/MolDraw2DUtils.h>
#include <GraphMol/RWMol.h>

using namespace molshim;

extern "C" char *molshim_mol_to_svg(const molshim_mol *mol, int32_t width, int32_t height, char **error) {
    if (!mol) {
        set_error(error, "null molecule");
        return nullptr;
    }
    if (width <= 0 || height <= 0 || width > 10000 || height > 10000) {
        set_error(error, "SVG size must be between 1 and 10000 pixels");
        return nullptr;
    }
    return guarded<char *>(error, nullptr, [&] {
        std::unique_ptr<RDKit::RWMol> copy;
        {
            std::lock_guard<std::mutex> hold(mol->lock);
            copy = std::make_unique<RDKit::RWMol>(*mol->mol);
        }
        RDKit::MolDraw2DUtils::prepareMolForDrawing(*copy);
        RDKit::MolDraw2DSVG drawer(width, height);
        drawer.drawMolecule(*copy);
        drawer.finishDrawing();
        return copy_string(drawer.getDrawingText());
    });
}
