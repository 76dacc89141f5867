package dev.coin.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngWriterTest {

    private record Masked(FloatImage image, List<String> maskNames, List<FloatImage> masks) implements MaskedImage {
    }

    /** 16 x 16 image whose pixel n has grey level n (0..255) in the range [-1, 1]. */
    private static FloatImage allGreyLevels() {
        float[] p = new float[256];
        for (int n = 0; n < 256; n++) {
            p[n] = (float) (-1 + 2.0 * n / 255);
        }
        return FloatImage.of(16, 16, p);
    }

    @Test
    void greyRoundTripIsExactForAll256Levels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("grey.png");
        PngWriter.writeGrey(allGreyLevels(), -1, 1, file);
        BufferedImage viaImaging = PngWriter.read(file);
        BufferedImage viaImageIo = ImageIO.read(file.toFile());
        for (BufferedImage back : new BufferedImage[] {viaImaging, viaImageIo}) {
            assertThat(back.getWidth()).isEqualTo(16);
            assertThat(back.getHeight()).isEqualTo(16);
            for (int n = 0; n < 256; n++) {
                int rgb = back.getRGB(n % 16, n / 16) & 0xFFFFFF;
                assertThat(rgb).as("grey level %d", n).isEqualTo(n << 16 | n << 8 | n);
            }
        }
    }

    @Test
    void greyMapsTheRangeWithClippingAndRounding() {
        FloatImage img = FloatImage.of(1, 5, new float[] {-5, 0, 10, 4.99f, 100});
        int[] rgb = Renderer.greyRgb(img, 0, 10);
        // 255 * (clip(v) - 0) / 10: 0, 0, 255, round(127.245) = 127, 255
        assertThat(rgb).containsExactly(0, 0, 0xFFFFFF, 0x7F7F7F, 0xFFFFFF);
        assertThatThrownBy(() -> Renderer.greyRgb(img, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lo < hi");
    }

    @Test
    void overlayBlendsTheMaskColoursAndSurvivesTheRoundTrip(@TempDir Path dir) {
        // image value 0.00392157 -> grey round(255 * 1.00392157 / 2) = 128
        float g = (float) (2 * 128 / 255.0 - 1);
        FloatImage image = FloatImage.of(1, 4, new float[] {g, g, g, g});
        FloatImage kidney = FloatImage.of(1, 4, new float[] {1, 0, 0, 0});
        FloatImage tumour = FloatImage.of(1, 4, new float[] {0, 1, 0, 0});
        FloatImage background = FloatImage.of(1, 4, new float[] {0, 0, 1, 1});
        FloatImage other = FloatImage.of(1, 4, new float[] {0, 0, 0, 1});
        Masked m = new Masked(image, List.of("background", "kidney", "tumour", "lesion"),
                List.of(background, kidney, tumour, other));
        int[] rgb = Renderer.overlayRgb(m, 0.4);
        // kidney (0, 200, 0): 0.6*128 = 76.8 -> 77; 76.8 + 80 = 156.8 -> 157
        assertThat(rgb[0]).isEqualTo(77 << 16 | 157 << 8 | 77);
        // tumour (160, 32, 240): 76.8 + 64 = 140.8 -> 141; 76.8 + 12.8 = 89.6 -> 90; 76.8 + 96 = 172.8 -> 173
        assertThat(rgb[1]).isEqualTo(141 << 16 | 90 << 8 | 173);
        // background is not drawn
        assertThat(rgb[2]).isEqualTo(128 << 16 | 128 << 8 | 128);
        // an unnamed channel gets the first extra colour, orange (255, 140, 0): 178.8 -> 179, 132.8 -> 133, 77
        assertThat(rgb[3]).isEqualTo(179 << 16 | 133 << 8 | 77);

        Path file = dir.resolve("overlay.png");
        PngWriter.writeOverlay(m, file);
        BufferedImage back = PngWriter.read(file);
        for (int x = 0; x < 4; x++) {
            assertThat(back.getRGB(x, 0) & 0xFFFFFF).isEqualTo(rgb[x]);
        }
    }

    @Test
    void contactSheetTilesTheOverlaysInRows(@TempDir Path dir) {
        FloatImage a = FloatImage.of(2, 3, new float[] {-1, -1, -1, -1, -1, -1});
        FloatImage b = FloatImage.of(2, 3, new float[] {1, 1, 1, 1, 1, 1});
        FloatImage mask = FloatImage.of(2, 3, new float[] {1, 0, 0, 0, 0, 0});
        Masked black = new Masked(a, List.of("kidney"), List.of(mask));
        Masked white = new Masked(b, List.of(), List.of());
        Path file = dir.resolve("sheet.png");
        PngWriter.writeContactSheet(List.of(black, white, white), 2, file);
        BufferedImage sheet = PngWriter.read(file);
        // 2 columns x 2 rows of 2x3 tiles with 2-pixel gaps: width 3+2+3, height 2+2+2
        assertThat(sheet.getWidth()).isEqualTo(8);
        assertThat(sheet.getHeight()).isEqualTo(6);
        assertThat(sheet.getRGB(0, 0) & 0xFFFFFF).isEqualTo(Renderer.blend(0, 0x00C800, 0.4));
        assertThat(sheet.getRGB(1, 0) & 0xFFFFFF).isZero();
        assertThat(sheet.getRGB(3, 0) & 0xFFFFFF).isEqualTo(0x202020);   // gap
        assertThat(sheet.getRGB(5, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);   // second tile
        assertThat(sheet.getRGB(0, 4) & 0xFFFFFF).isEqualTo(0xFFFFFF);   // third tile, second row
        assertThat(sheet.getRGB(6, 5) & 0xFFFFFF).isEqualTo(0x202020);   // empty fourth cell
        assertThatThrownBy(() -> Renderer.contactSheet(List.of(), 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
