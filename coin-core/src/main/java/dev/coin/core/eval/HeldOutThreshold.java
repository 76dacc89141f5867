package dev.coin.core.eval;

import dev.coin.core.mask.Confusion;
import dev.coin.core.mask.Masks;
import dev.coin.core.mask.PostProcessing;

import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The fair tuned number: a threshold chosen with tumour labels, but scored only on images that took no part in
 * choosing it. The in-sample sweep ({@link ThresholdSweep}) picks the threshold with the same labels it is then
 * scored on, so its best IoU is an optimistic upper bound; this policy cross-fits it over two folds instead.
 *
 * <ol>
 *   <li>Images carry a group key, the scan id, so that adjacent (nearly identical) slices of one scan never sit on
 *       both sides of the split. Groups are sorted by key and assigned alternately to fold 0 and fold 1. With a
 *       single group the split falls back to alternating the images in the order added
 *       ({@link Split#BY_IMAGE}; the result says so).</li>
 *   <li>On each fold, a {@link ThresholdSweep} with the same grid (default 101 thresholds over [0, 1]) and
 *       post-processing picks the best aggregated-IoU threshold (ties: the smallest).</li>
 *   <li>Each fold's images are scored with the OTHER fold's threshold, exactly as {@link MaskEvaluation} scores
 *       (map &gt; t, then post-processing), and the two halves are pooled: aggregated IoU ΣTP/Σ(TP+FP+FN) over all
 *       images, mean per-image IoU and PER ({@link PixelErrorRate}) over all images.</li>
 * </ol>
 *
 * <p>Memory: the fold assignment needs every group key, and the second pass needs every map again, so each added map
 * and truth is kept until this object is dropped. They are kept by reference (a {@link FloatImage} is immutable), so
 * the cost is the maps that would otherwise be garbage: 4·H·W bytes each, e.g. 256 KiB per 256² slice, 256 MiB per
 * 1,000 slices. Truth masks are usually held by the slices anyway. {@link #result()} does both passes each time it is
 * called: O(H·W·log T) per image for the sweeps without post-processing, O(T·H·W) with it.
 *
 * <pre>{@code
 * HeldOutThreshold heldOut = HeldOutThreshold.builder().build();
 * for (abnormal slice s) heldOut.add(s.scanId(), differenceMap, s.mask("tumour"));
 * HeldOutThreshold.Result r = heldOut.result();
 * double fair = r.aggregatedIou();   // report this one, not the in-sample sweep's best
 * }</pre>
 */
public final class HeldOutThreshold {
    private final int count;
    private final double lo;
    private final double hi;
    private final PostProcessing postProcessing;
    private final List<String> groups = new ArrayList<>();
    private final List<FloatImage> maps = new ArrayList<>();
    private final List<FloatImage> truths = new ArrayList<>();

    private HeldOutThreshold(Builder b) {
        count = b.count;
        lo = b.lo;
        hi = b.hi;
        postProcessing = b.postProcessing;
        newSweep(); // refuses a bad grid now, with ThresholdSweep's message, rather than at result()
    }

    public static Builder builder() {
        return new Builder();
    }

    private ThresholdSweep newSweep() {
        return ThresholdSweep.builder().count(count).range(lo, hi).postProcessing(postProcessing).build();
    }

    /**
     * Adds one GT-abnormal image.
     *
     * @param group the image's scan id: images of one group always land in the same fold
     * @param map   the explanation map (difference map or saliency)
     * @param truth the 0/1 tumour mask, same size as {@code map}
     * @throws IllegalArgumentException when {@code group} is null, the sizes differ, {@code truth} is not 0/1, or
     *                                  {@code map} has a NaN pixel
     */
    public void add(String group, FloatImage map, FloatImage truth) {
        int index = maps.size();
        if (group == null) {
            throw new IllegalArgumentException("group of image " + index + " is null; pass the image's scan id "
                    + "(Slice.scanId()) so that slices of one scan stay in one fold");
        }
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(truth, "truth");
        String image = "image " + index + " (group '" + group + "')";
        if (map.height() != truth.height() || map.width() != truth.width()) {
            throw new IllegalArgumentException("truth mask of " + image + " is " + truth.height() + "x"
                    + truth.width() + " but its map is " + map.height() + "x" + map.width()
                    + "; pass the tumour mask of the same slice as the map");
        }
        Masks.toBinary(truth, "truth mask of " + image);
        float[] v = map.toArray();
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(v[i])) {
                throw new IllegalArgumentException("map of " + image + " is NaN at pixel " + i
                        + "; no threshold can be applied to it, fix or drop the map");
            }
        }
        groups.add(group);
        maps.add(map);
        truths.add(truth);
    }

    /** Images added so far. */
    public int count() {
        return maps.size();
    }

    /** Applied after thresholding, in the sweeps and in the scoring. */
    public PostProcessing postProcessing() {
        return postProcessing;
    }

    /**
     * Both passes over the images added so far.
     *
     * @throws IllegalStateException with fewer than 2 images (a fold would be empty; with 2 or more neither can be,
     *                               since each fold gets at least one group or, in the fallback, one image)
     */
    public Result result() {
        int n = maps.size();
        if (n < 2) {
            throw new IllegalStateException("the held-out threshold needs at least 2 images so that each of its 2 "
                    + "folds gets one, but " + n + " were added; add more GT-abnormal slices, or report only the "
                    + "fixed and label-free thresholds");
        }
        Map<String, List<Integer>> byGroup = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byGroup.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
        }
        int[] fold = new int[n];
        Split split = byGroup.size() >= 2 ? Split.BY_GROUP : Split.BY_IMAGE;
        if (split == Split.BY_GROUP) {
            int g = 0;
            for (List<Integer> members : byGroup.values()) {
                for (int i : members) {
                    fold[i] = g % 2;
                }
                g++;
            }
        } else {
            for (int i = 0; i < n; i++) {
                fold[i] = i % 2;
            }
        }

        ThresholdSweep[] sweeps = {newSweep(), newSweep()};
        int[] sizes = new int[2];
        for (int i = 0; i < n; i++) {
            sweeps[fold[i]].add(maps.get(i), truths.get(i));
            sizes[fold[i]]++;
        }
        double[] chosen = {sweeps[0].result().bestAggregatedThreshold(), sweeps[1].result().bestAggregatedThreshold()};

        AggregatedIou aggregated = new AggregatedIou();
        MeanPerImageIou perImage = new MeanPerImageIou();
        PixelErrorRate per = new PixelErrorRate();
        for (int i = 0; i < n; i++) {
            double t = chosen[1 - fold[i]];
            // as MaskEvaluation.add: map > t, then post-processing
            Confusion c = Confusion.of(postProcessing.apply(Masks.threshold(maps.get(i), t)), truths.get(i));
            aggregated.add(c);
            perImage.add(c);
            per.add(c);
        }
        return new Result(chosen[0], chosen[1], sizes[0], sizes[1], aggregated.value(), perImage.value(), per.value(),
                perImage.perImage(), split, byGroup.size(), postProcessing);
    }

    @Override
    public String toString() {
        return "HeldOutThreshold[" + count + " thresholds in [" + lo + ", " + hi + "], " + postProcessing + ", "
                + maps.size() + " images]";
    }

    /** How the images were split into the two folds. */
    public enum Split {
        /** By group key (scan): groups sorted by key, alternately to fold 0 and fold 1. */
        BY_GROUP,
        /** Only one group was added: images alternately to fold 0 and fold 1 in the order added. */
        BY_IMAGE
    }

    /**
     * The cross-fitted scores.
     *
     * @param thresholdFold0  the threshold chosen on fold 0's images (and applied to fold 1's)
     * @param thresholdFold1  the threshold chosen on fold 1's images (and applied to fold 0's)
     * @param imagesFold0     images in fold 0
     * @param imagesFold1     images in fold 1
     * @param aggregatedIou   ΣTP/Σ(TP+FP+FN) over all images, each scored with the threshold chosen without it
     * @param meanPerImageIou the mean of the per-image IoUs
     * @param pixelErrorRate  the mean per-image (FP+FN)/(H·W), as {@link PixelErrorRate}
     * @param perImageIou     each image's IoU, in the order added
     * @param split           by group, or the one-group fallback by image
     * @param groups          distinct group keys added
     * @param postProcessing  applied after thresholding, in the sweeps and in the scoring
     */
    public record Result(double thresholdFold0, double thresholdFold1, int imagesFold0, int imagesFold1,
            double aggregatedIou, double meanPerImageIou, double pixelErrorRate, double[] perImageIou, Split split,
            int groups, PostProcessing postProcessing) {

        /** The mean of the two fold thresholds: the one number for a table's threshold column. */
        public double meanThreshold() {
            return (thresholdFold0 + thresholdFold1) / 2;
        }

        /** Images over both folds. */
        public int images() {
            return imagesFold0 + imagesFold1;
        }

        @Override
        public String toString() {
            return "HeldOutThreshold.Result[" + images() + " images in " + groups + " groups, split " + split
                    + "; thresholds " + thresholdFold0 + " (fold 0) / " + thresholdFold1 + " (fold 1); IoU_agg="
                    + aggregatedIou + ", IoU_mean=" + meanPerImageIou + ", PER=" + pixelErrorRate + "]";
        }
    }

    /** Defaults: 101 thresholds over [0, 1], no post-processing (as {@link ThresholdSweep}). */
    public static final class Builder {
        private int count = 101;
        private double lo = 0;
        private double hi = 1;
        private PostProcessing postProcessing = PostProcessing.none();

        public Builder count(int n) {
            this.count = n;
            return this;
        }

        public Builder range(double low, double high) {
            this.lo = low;
            this.hi = high;
            return this;
        }

        public Builder postProcessing(PostProcessing p) {
            this.postProcessing = Objects.requireNonNull(p, "postProcessing");
            return this;
        }

        /** @throws IllegalArgumentException for fewer than 2 thresholds or a range without lo &lt; hi */
        public HeldOutThreshold build() {
            return new HeldOutThreshold(this);
        }
    }
}
