package dev.coin.core.report;

import static dev.coin.core.mask.MaskFixtures.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coin.data.image.FloatImage;
import dev.coin.data.image.PngWriter;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlicePanelTest {
    @TempDir
    Path dir;

    private static final int N = 8;

    /** A map rising from 0.05 (pixel 0) to 0.6 (last pixel), so its range is [0.05, 0.6]. */
    private static FloatImage ramp() {
        float[] v = new float[N * N];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.05f + 0.55f * i / (v.length - 1);
        }
        return FloatImage.of(N, N, v);
    }

    private static SlicePanel counterfactualPanel() {
        FloatImage input = FloatImage.zeros(N, N);
        FloatImage predicted = mask("........", "........", "..##....", "..##....", "........", "........",
                "........", "........");
        FloatImage truth = mask("........", "........", "...##...", "...##...", "........", "........",
                "........", "........");
        return SlicePanel.builder("COIN", input, ramp(), predicted).slice("phantom_s1", 12).truth(truth)
                .counterfactual(FloatImage.zeros(N, N)).probabilities(0.97, 0.02).threshold(0.25).iou(2.0 / 6)
                .build();
    }

    @Test
    void titlesCaptionsColourBarLabelsAndLegendAreDrawn() {
        SlicePanel p = counterfactualPanel();
        BufferedImage img = PngWriter.read(p.write(dir.resolve("p.png")));
        SlicePanel.Layout l = p.layout();
        assertThat(img.getWidth()).isEqualTo(l.width());
        assertThat(img.getHeight()).isEqualTo(l.height());
        assertThat(l.tiles()).hasSize(4);
        assertThat(l.tileSize()).isGreaterThanOrEqualTo(SlicePanel.MIN_TILE);
        assertThat(inkPixels(img, l.title())).as("title").isGreaterThan(100);
        for (int i = 0; i < l.captions().size(); i++) {
            assertThat(inkPixels(img, l.captions().get(i))).as("caption " + i).isGreaterThan(60);
        }
        assertThat(inkPixels(img, l.colourBarLabels())).as("colour bar labels").isGreaterThan(60);
        assertThat(inkPixels(img, l.legend())).as("legend").isGreaterThan(150);
        // the legend holds a swatch of each overlay colour
        assertThat(count(img, l.legend(), SlicePanel.BOTH.getRGB())).isGreaterThan(50);
        assertThat(count(img, l.legend(), SlicePanel.PREDICTION_ONLY.getRGB())).isGreaterThan(50);
        assertThat(count(img, l.legend(), SlicePanel.TRUTH_ONLY.getRGB())).isGreaterThan(50);
        // blank spaces stay blank: the gap between title and the first caption's text line is background only
        assertThat(p.titleText()).isEqualTo("COIN · slice phantom_s1 k=12 · truth: abnormal");
    }

    @Test
    void colourBarSpansTheDifferenceMapsRange() {
        SlicePanel p = counterfactualPanel();
        assertThat(p.colourRange()[0]).isCloseTo(0.05, within(1e-6));
        assertThat(p.colourRange()[1]).isCloseTo(0.6, within(1e-6));
        BufferedImage img = p.render();
        SlicePanel.Layout l = p.layout();
        Rectangle bar = l.colourBar();
        Rectangle map = l.tiles().get(2);
        int top = img.getRGB(bar.x + bar.width / 2, bar.y) & 0xFFFFFF;
        int bottom = img.getRGB(bar.x + bar.width / 2, bar.y + bar.height - 1) & 0xFFFFFF;
        assertThat(top).isEqualTo(SlicePanel.colour(1));
        assertThat(bottom).isEqualTo(SlicePanel.colour(0));
        // the map's maximum (last pixel, bottom right) has the bar's top colour, its minimum (top left) the bottom's
        assertThat(img.getRGB(map.x + map.width - 1, map.y + map.height - 1) & 0xFFFFFF).isEqualTo(top);
        assertThat(img.getRGB(map.x, map.y) & 0xFFFFFF).isEqualTo(bottom);
        // the threshold 0.25 is marked on the bar at its place in [0.05, 0.6]
        int ty = bar.y + (int) Math.round((0.6 - 0.25) / 0.55 * (bar.height - 1));
        assertThat(img.getRGB(bar.x + 1, ty) & 0xFFFFFF).isEqualTo(0x00FFFF);
        // overlay: truth-and-prediction, prediction-only and truth-only pixels in the legend's colours
        Rectangle overlay = l.tiles().get(3);
        int s = l.tileSize() / N;
        assertThat(blendsTo(img.getRGB(overlay.x + 3 * s, overlay.y + 2 * s), SlicePanel.BOTH)).isTrue();
        assertThat(blendsTo(img.getRGB(overlay.x + 2 * s, overlay.y + 2 * s), SlicePanel.PREDICTION_ONLY)).isTrue();
        assertThat(blendsTo(img.getRGB(overlay.x + 4 * s, overlay.y + 2 * s), SlicePanel.TRUTH_ONLY)).isTrue();
    }

    @Test
    void fileNameSaysWhatThePanelHolds() {
        assertThat(counterfactualPanel().fileName())
                .isEqualTo("slice-phantom_s1-k012_truth-abnormal_pred-before-abnormal_after-normal_iou-0.33.png");
        FloatImage z = FloatImage.zeros(N, N);
        SlicePanel saliency = SlicePanel.builder("RISE (50 masks)", z, ramp(), z).slice("scan/a b", 3)
                .probabilities(0.8, Double.NaN).threshold(0.975).build();
        assertThat(saliency.fileName()).isEqualTo("slice-scan_a_b-k003_truth-normal_pred-abnormal.png");
        assertThat(saliency.layout().tiles()).hasSize(3);
        assertThat(saliency.render().getWidth()).isEqualTo(saliency.layout().width());
    }

    @Test
    void badArgumentsAreNamed() {
        FloatImage z = FloatImage.zeros(N, N);
        assertThatThrownBy(() -> SlicePanel.builder("COIN", z, z, z).probabilities(1.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before").hasMessageContaining("1.5");
        assertThatThrownBy(() -> SlicePanel.builder("COIN", z, FloatImage.zeros(N, N + 1), z))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map");
        assertThatThrownBy(() -> SlicePanel.builder("COIN", z, z, z).slice("s", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    /** Pixels in {@code r} that are clearly darker than the white background (text, swatch outlines). */
    static int inkPixels(BufferedImage img, Rectangle r) {
        int n = 0;
        for (int y = r.y; y < r.y + r.height && y < img.getHeight(); y++) {
            for (int x = r.x; x < r.x + r.width && x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                int lum = ((c >> 16) & 0xFF) + ((c >> 8) & 0xFF) + (c & 0xFF);
                n += lum < 3 * 160 ? 1 : 0;
            }
        }
        return n;
    }

    private static int count(BufferedImage img, Rectangle r, int argb) {
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == (argb & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }

    /** The overlay of grey 128 (input 0) with {@code c}: round(0.35·128 + 0.65·c) per channel. */
    private static boolean blendsTo(int rgb, java.awt.Color c) {
        int[] want = {c.getRed(), c.getGreen(), c.getBlue()};
        for (int k = 0; k < 3; k++) {
            int got = (rgb >> (16 - 8 * k)) & 0xFF;
            if (Math.abs(got - (int) Math.round(0.35 * 128 + 0.65 * want[k])) > 1) {
                return false;
            }
        }
        return true;
    }
}
