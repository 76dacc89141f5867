package dev.coin.core.mask;

import dev.coin.core.mask.Masks;

import dev.coin.data.image.FloatImage;

/** Masks drawn as text: '#' = 1, '.' = 0, one string per row. */
public final class MaskFixtures {
    private MaskFixtures() {
    }

    public static FloatImage mask(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        float[] v = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                v[r * w + c] = rows[r].charAt(c) == '#' ? 1f : 0f;
            }
        }
        return FloatImage.of(h, w, v);
    }
}
