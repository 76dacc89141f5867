package dev.coin.data.dataset;

import dev.coin.data.slice.Slice;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    /**
     * The slices' images stacked into one float [N, 1, H, W] array (what classifiers and generators take).
     *
     * @throws IllegalArgumentException when the list is empty or the slices differ in size
     */
    public static INDArray stackImages(List<Slice> slices) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("no slices to stack; pass at least one");
        }
        int h = slices.get(0).height();
        int w = slices.get(0).width();
        float[] data = new float[slices.size() * h * w];
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            if (s.height() != h || s.width() != w) {
                throw new IllegalArgumentException("slices must share one size to be stacked: slice " + i + " is "
                        + s.height() + "x" + s.width() + ", slice 0 is " + h + "x" + w
                        + "; resize them (Slice.resized) or stack each size apart");
            }
            System.arraycopy(s.image().toArray(), 0, data, i * h * w, h * w);
        }
        return Nd4j.create(data, new long[] {slices.size(), 1, h, w}, DataType.FLOAT);
    }

    @Override
    public String toString() {
        return "Batch[" + size() + " x " + java.util.Arrays.toString(images.shape()) + ", masks "
                + java.util.Arrays.toString(masks.shape()) + (healthy == null ? "" : ", paired") + "]";
    }
}
