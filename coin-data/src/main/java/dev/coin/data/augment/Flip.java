package dev.coin.data.augment;

import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shared mirror code for {@link HorizontalFlip} and {@link VerticalFlip}. */
final class Flip {
    private Flip() {
    }

    static AugmentTarget apply(AugmentTarget t, boolean horizontal) {
        List<FloatImage> masks = new ArrayList<>(t.masks().size());
        for (FloatImage m : t.masks()) {
            masks.add(mirror(m, horizontal));
        }
        return new AugmentTarget(mirror(t.image(), horizontal), masks);
    }

    static FloatImage mirror(FloatImage img, boolean horizontal) {
        int h = img.height();
        int w = img.width();
        float[] src = img.toArray();
        float[] out = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int sr = horizontal ? r : h - 1 - r;
                int sc = horizontal ? w - 1 - c : c;
                out[r * w + c] = src[sr * w + sc];
            }
        }
        return FloatImage.wrap(h, w, out);
    }

    static boolean coin(SplittableRandom rng, double p) {
        return rng.nextDouble() < p;
    }
}
