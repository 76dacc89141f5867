package dev.coin.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coin.core.Explanation;
import dev.coin.core.TrainedPipeline;
import dev.coin.core.VolumeSegmentation;
import dev.coin.core.VolumeSegmenter;
import dev.coin.core.mask.MaskPolicy;
import dev.coin.data.ct.CtWindow;
import dev.coin.data.nifti.NiftiDataType;
import dev.coin.data.slice.Slice;
import dev.coin.data.slice.SliceConfig;
import dev.coin.data.slice.SliceInverse;
import dev.coin.data.slice.Slicer;
import dev.coin.data.synth.PhantomConfig;
import dev.coin.data.synth.PhantomGenerator;
import dev.coin.data.synth.PhantomScan;
import dev.coin.data.volume.NiftiVolumes;
import dev.coin.data.volume.Volume;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VolumeSegmenter#of(TrainedPipeline, SliceConfig)} with a real (tiny) trained pipeline: NIfTI in, NIfTI out,
 * and the mask volume is exactly the pipeline's slice masks pasted back with {@link SliceInverse}.
 */
class VolumeSegmenterPipelineTest {
    @TempDir
    Path dir;

    @Test
    void aTrainedPipelineTurnsANiftiScanIntoANiftiMask() throws Exception {
        PhantomScan p = PhantomGenerator.of(PhantomConfig.builder().seed(4).matrixSize(48).build()).generate(0);
        Path ct = dir.resolve("ct.nii.gz");
        Path kidneys = dir.resolve("kidneys.nii.gz");
        NiftiVolumes.write(p.image(), ct, NiftiDataType.INT16);
        NiftiVolumes.write(p.label(), kidneys, NiftiDataType.UINT8);
        SliceConfig cfg = SliceConfig.synthetic(CtWindow.of(-1000, 1000)).toBuilder().outputSize(32, 32).build();

        // the tiny model's edits are small: a low threshold so that the masks are not empty
        MaskPolicy policy = MaskPolicy.fixed(0.06);
        VolumeSegmentation s = VolumeSegmenter.of(TinyTrained.twin(), cfg).withMaskPolicy(policy).segment(ct, kidneys);
        Path out = s.writeMask(dir.resolve("ct_mask.nii.gz"));

        Volume source = NiftiVolumes.read(ct);
        Volume mask = NiftiVolumes.read(out);
        assertThat(mask.affine()).isDeepEqualTo(source.affine());
        assertThat(mask.shape()).containsExactly(source.shape());
        // the same masks, by hand: slice, explain with a twin (same state, same calls), paste back
        Slicer slicer = new Slicer(cfg);
        List<Slice> slices = slicer.slice(source, NiftiVolumes.read(kidneys));
        assertThat(s.explainedSlices()).containsExactly(slices.stream().mapToInt(Slice::sliceIndex).toArray());
        List<Explanation> e = TinyTrained.twin().explain(slices);
        float[] want = new float[(int) source.voxelCount()];
        SliceInverse back = slicer.inverse(source);
        for (int n = 0; n < slices.size(); n++) {
            back.paste(e.get(n).mask(policy).image(), slices.get(n).sliceIndex(), want, SliceInverse.Interpolation.NEAREST);
        }
        assertThat(mask.copyVoxels()).containsExactly(want);
        assertThat(s.maskVoxels()).isPositive();
        System.out.println("VolumeSegmenterPipelineTest: " + s);
    }
}
