import CMolShim

extension Molecule {
    /// An SVG drawing of the molecule (RDKit `MolDraw2DSVG` after `prepareMolForDrawing`:
    /// 2D coordinates, kekulized, stereo wedges), `width` × `height` pixels, for HTML reports.
    public func svg(width: Int = 300, height: Int = 300) throws(PropertyError) -> String {
        guard (1...10_000).contains(width), (1...10_000).contains(height) else {
            throw PropertyError(description: "SVG size must be between 1 and 10000 pixels")
        }
        var error: UnsafeMutablePointer<CChar>? = nil
        guard let text = molshim_mol_to_svg(handle, Int32(width), Int32(height), &error) else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "depiction failed")
        }
        return takeString(text)
    }
}
