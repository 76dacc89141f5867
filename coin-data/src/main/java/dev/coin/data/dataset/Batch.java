package dev.coin.data.dataset;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch, NCHW.
 *
 * @param images  [B, 1, H, W] in [−1, 1]
 * @param masks   [B, K, H, W] binary, channels as the slices' mask channels
 * @param labels  [B, 1] image-level labels (0/1) as floats
 * @param healthy [B, 1, H, W] paired healthy slices, or {@code null} for unpaired sampling
 * @param infos   the metadata of each row
 */
public record Batch(INDArray images, INDArray masks, INDArray labels, INDArray healthy, List<SliceInfo> infos) {
    public int size() {
        return infos.size();
    }

    @Override
    public String toString() {
        return "Batch[" + size() + " x " + java.util.Arrays.toString(images.shape()) + ", masks "
                + java.util.Arrays.toString(masks.shape()) + (healthy == null ? "" : ", paired") + "]";
    }
}
