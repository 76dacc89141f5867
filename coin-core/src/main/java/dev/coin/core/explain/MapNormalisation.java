package dev.coin.core.explain;

/** Per-image min–max normalisation of saliency maps, in place. */
final class MapNormalisation {
    private MapNormalisation() {
    }

    /**
     * (v − min)/(max − min + eps). With eps = 0 a constant map becomes all zeros (the reference returns no map then);
     * LayerCAM uses eps = 1e-8 as the reference does.
     */
    static void minMax(float[] map, double eps) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            if (Float.isNaN(v)) {
                throw new IllegalStateException("saliency map contains NaN; the classifier produced non-finite outputs");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = (double) max - min + eps;
        if (range <= 0) {
            java.util.Arrays.fill(map, 0f);
            return;
        }
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) ((map[i] - min) / range);
        }
    }

    static void relu(float[] map) {
        for (int i = 0; i < map.length; i++) {
            if (map[i] < 0) {
                map[i] = 0;
            }
        }
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
