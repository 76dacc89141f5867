/**
 * Volumes in, training slices out: kidney filter, slice labels, CT normalisation, resize, orientation and
 * relative height (reference §6.2–6.4).
 *
 * <pre>{@code
 * CtWindow window = Fingerprint.read(Path.of("dataset_fingerprint.json")).toWindow();
 * Slicer slicer = new Slicer(SliceConfig.tuh(window).toBuilder().outputSize(128, 128).build());
 * List<Slice> slices = slicer.slice(ct, seg);    // ct, seg: Volume (e.g. from the NIfTI reader)
 * slices.get(0);   // Slice[scan=case_00012, k=57, label=1, h=0.43, 128x128, kidney 203 px, tumour 301 px, cyst 0 px]
 * PngWriter.writeContactSheet(slices, 8, Path.of("case_00012.png"));
 * }</pre>
 *
 * <p>Where things are decided: which voxel axis is axial — {@link dev.coin.data.volume.AxialAxis}; how in-plane
 * voxel axes become image rows and columns — {@link dev.coin.data.slice.SliceOrientation}; resize conventions —
 * {@link dev.coin.data.slice.Resize}; keep/label rules and their order — {@link dev.coin.data.slice.Slicer}; the way
 * back from a slice-size image (a mask, a difference map) to the scan's native voxels, inverting the resize and the
 * orientation — {@link dev.coin.data.slice.SliceInverse} ({@code slicer.inverse(ct)}).
 */
package dev.coin.data.slice;
