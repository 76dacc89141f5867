package dev.coin.core;

import dev.coin.core.mask.MaskPolicy;
import dev.coin.data.image.FloatImage;
import dev.coin.data.nifti.NiftiHeader;
import dev.coin.data.nifti.NiftiImage;
import dev.coin.data.nifti.NiftiReader;
import dev.coin.data.slice.LabelMap;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceInverse;
import dev.coin.data.slice.Slicer;
import dev.coin.data.volume.LabelledScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volume in, volume out: cuts a CT volume into the slices a model was trained on, explains every kept slice, maps
 * each slice mask (and difference map) back to the scan's native in-plane resolution and orientation
 * ({@link SliceInverse}: the inverse of the resize and of the display orientation) and stacks them along the axial
 * axis. Slices the kidney filter drops are zero in both volumes.
 *
 * <pre>{@code
 * VolumeSegmenter seg = VolumeSegmenter.of(TrainedPipeline.load(Path.of("models/coin")), sliceConfig);
 * VolumeSegmentation s = seg.segment(Path.of("ct.nii.gz"), Path.of("kidneys.nii.gz"));
 * s.writeMask(Path.of("ct_mask.nii.gz"));              // uint8, the CT's affine, qform/sform codes and pixdim
 * s.writeDifferenceMap(Path.of("ct_diff.nii.gz"));     // float32 |x − x_cf| / 2, same geometry
 * }</pre>
 *
 * <p><b>The slice config</b> must be the one the model's slices were cut with, with {@code outputSize} the
 * model's input size (e.g. {@code SliceConfig.synthetic(window).toBuilder().outputSize(128, 128).build()} for a
 * model trained on 128² slices): a saved model does not record how its data were sliced. <b>The kidney mask</b>
 * (a label volume in the config's {@link LabelMap}, same shape as the CT) decides which slices are kept, as in
 * training; without one every axial slice is explained.
 *
 * <p>Masks are cut at slice resolution by the {@link MaskPolicy} (default: difference &gt; 0.25) and resampled to
 * native resolution by nearest neighbour; difference maps bilinearly.
 */
public final class VolumeSegmenter {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeSegmenter.class);

    /** Explains slices in order, one explanation per slice: {@link TrainedPipeline#explain(List)} or a stand-in. */
    @FunctionalInterface
    public interface SliceExplainer {
        List<Explanation> explain(List<Slice> slices);
    }

    private final SliceExplainer explainer;
    private final SliceConfig config;
    private final MaskPolicy policy;

    private VolumeSegmenter(SliceExplainer explainer, SliceConfig config, MaskPolicy policy) {
        this.explainer = explainer;
        this.config = config;
        this.policy = policy;
    }

    /**
     * A segmenter for a trained pipeline with the default mask policy.
     *
     * @param sliceConfig how the model's training slices were cut, {@code outputSize} = the model's input size
     */
    public static VolumeSegmenter of(TrainedPipeline pipeline, SliceConfig sliceConfig) {
        Objects.requireNonNull(pipeline, "pipeline");
        return of(pipeline::explain, sliceConfig, MaskPolicy.DEFAULT);
    }

    /** A segmenter for any slice explainer (a trained pipeline's {@code explain}, or a stand-in in tests). */
    public static VolumeSegmenter of(SliceExplainer explainer, SliceConfig sliceConfig, MaskPolicy maskPolicy) {
        return new VolumeSegmenter(Objects.requireNonNull(explainer, "explainer"),
                Objects.requireNonNull(sliceConfig, "sliceConfig"),
                Objects.requireNonNull(maskPolicy, "maskPolicy (MaskPolicy.DEFAULT for COIN's default)"));
    }

    /** The same segmenter with another mask policy (threshold, post-processing). */
    public VolumeSegmenter withMaskPolicy(MaskPolicy maskPolicy) {
        return of(explainer, config, maskPolicy);
    }

    public SliceConfig sliceConfig() {
        return config;
    }

    public MaskPolicy maskPolicy() {
        return policy;
    }

    /**
     * Segments a NIfTI CT with its kidney label file; the result writes NIfTI files in the CT's geometry.
     *
     * @param kidneyMask a label file of the same shape, or null to explain every axial slice
     * @throws dev.coin.data.nifti.NiftiFormatException for a file that is not a 3-D NIfTI volume
     * @throws IllegalArgumentException                 as {@link #segment(Volume, Volume)}
     */
    public VolumeSegmentation segment(Path ct, Path kidneyMask) throws IOException {
        Objects.requireNonNull(ct, "ct");
        NiftiImage image = NiftiReader.read(ct);
        Volume ctVolume = NiftiVolumes.of(image, ct);
        Volume labels = kidneyMask == null ? null : NiftiVolumes.read(kidneyMask);
        return segment(ctVolume, labels, image.header());
    }

    /** Segments a NIfTI CT, explaining every axial slice (no kidney filter). */
    public VolumeSegmentation segment(Path ct) throws IOException {
        return segment(ct, null);
    }

    /** Segments a CT volume, explaining every axial slice (no kidney filter). */
    public VolumeSegmentation segment(Volume ct) {
        return segment(ct, null, null);
    }

    /**
     * Segments a CT volume; the result's files carry the volume's affine (as sform and qform, code 1).
     *
     * @param kidneyMask a label volume of the same shape in the config's label map, or null for every slice
     * @throws IllegalArgumentException naming {@code kidneyMask} when its shape differs from the CT's, naming the
     *                                  affine when no axial axis or display frame follows from it, and when the
     *                                  explainer's images are not the config's output size
     */
    public VolumeSegmentation segment(Volume ct, Volume kidneyMask) {
        return segment(ct, kidneyMask, null);
    }

    private VolumeSegmentation segment(Volume ct, Volume kidneyMask, NiftiHeader source) {
        Objects.requireNonNull(ct, "ct");
        Volume labels = kidneyMask == null ? everySlice(ct) : kidneyMask;
        if (!labels.sameShape(ct)) {
            throw new IllegalArgumentException("kidneyMask " + labels.id() + " has shape "
                    + Arrays.toString(labels.shape()) + " but the CT " + ct.id() + " has shape "
                    + Arrays.toString(ct.shape()) + "; pass the label volume of this scan (or null for every slice)");
        }
        Slicer slicer = new Slicer(config);
        SliceInverse inverse = slicer.inverse(ct);
        List<Slice> slices = slicer.slice(new LabelledScan(ct, labels));
        List<Explanation> explanations = slices.isEmpty() ? List.of() : explainer.explain(slices);
        if (explanations == null || explanations.size() != slices.size()) {
            throw new IllegalStateException("the explainer returned " + (explanations == null ? "null"
                    : explanations.size() + " explanations") + " for " + slices.size()
                    + " slices; it must explain every slice, in order");
        }
        float[] mask = new float[(int) ct.voxelCount()];
        float[] diff = new float[mask.length];
        int[] kept = new int[slices.size()];
        int abnormal = 0;
        for (int n = 0; n < slices.size(); n++) {
            Explanation e = explanations.get(n);
            int k = slices.get(n).sliceIndex();
            kept[n] = k;
            FloatImage m = e.mask(policy).image();
            inverse.paste(m, k, mask, SliceInverse.Interpolation.NEAREST);
            inverse.paste(e.differenceMap(), k, diff, SliceInverse.Interpolation.BILINEAR);
            if (e.probabilityBefore() >= 0.5) {
                abnormal++;
            }
        }
        LOG.debug("scan {}: {} of {} axial slices explained, {} called abnormal, {}", ct.id(), kept.length,
                inverse.sliceCount(), abnormal, inverse);
        return new VolumeSegmentation(ct.withVoxels(ct.id() + "_mask", mask), ct.withVoxels(ct.id() + "_diff", diff),
                kept, abnormal, source);
    }

    /** A label volume whose every voxel is kidney, so that the slicer keeps every axial slice. */
    private Volume everySlice(Volume ct) {
        LabelMap map = config.labelMap();
        float kidney = map.values(config.kidneyClass())[0];
        float[] v = new float[(int) ct.voxelCount()];
        Arrays.fill(v, kidney);
        Volume all = ct.withVoxels(ct.id() + "_all", v);
        int perSlice = (int) (ct.voxelCount() / new Slicer(config).axialAxisOf(ct).sliceCount(ct));
        if (perSlice <= config.kidneyThreshold()) {
            throw new IllegalArgumentException("without a kidneyMask every slice would need more than kidneyThreshold "
                    + config.kidneyThreshold() + " voxels, but the CT " + ct.id() + " has " + perSlice
                    + " per slice; pass a kidney mask or lower the threshold (SliceConfig.toBuilder().kidneyThreshold)");
        }
        return all;
    }

    @Override
    public String toString() {
        return "VolumeSegmenter[" + config + ", " + policy + "]";
    }
}
