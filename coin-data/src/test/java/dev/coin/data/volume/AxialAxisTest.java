package dev.coin.data.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AxialAxisTest {

    private static double[][] affine(double[] col0, double[] col1, double[] col2) {
        return new double[][] {
            {col0[0], col1[0], col2[0], -100},
            {col0[1], col1[1], col2[1], 20},
            {col0[2], col1[2], col2[2], 300},
            {0, 0, 0, 1}};
    }

    @Test
    void rasLikeAffineHasAxialAxisLastPointingSuperior() {
        AxialAxis a = AxialAxis.detect(affine(new double[] {0.8, 0, 0}, new double[] {0, 0.8, 0},
                new double[] {0, 0, 2.5}));
        assertThat(a.axis()).isEqualTo(2);
        assertThat(a.superiorSign()).isEqualTo(1);
        assertThat(a.fromAffine()).isTrue();
        assertThat(a.firstInPlaneAxis()).isEqualTo(0);
        assertThat(a.secondInPlaneAxis()).isEqualTo(1);
    }

    @Test
    void lpsLikeFlipsDoNotMoveTheAxisButTheSignFollowsZ() {
        AxialAxis flippedInPlane = AxialAxis.detect(affine(new double[] {-0.8, 0, 0}, new double[] {0, -0.8, 0},
                new double[] {0, 0, 2.5}));
        assertThat(flippedInPlane.axis()).isEqualTo(2);
        assertThat(flippedInPlane.superiorSign()).isEqualTo(1);
        AxialAxis headFirst = AxialAxis.detect(affine(new double[] {-0.8, 0, 0}, new double[] {0, -0.8, 0},
                new double[] {0, 0, -2.5}));
        assertThat(headFirst.axis()).isEqualTo(2);
        assertThat(headFirst.superiorSign()).isEqualTo(-1);
    }

    @Test
    void permutedAffinePutsTheAxialAxisFirstOrInTheMiddle() {
        AxialAxis first = AxialAxis.detect(affine(new double[] {0, 0, 5}, new double[] {0.9, 0, 0},
                new double[] {0, 0.9, 0}));
        assertThat(first.axis()).isEqualTo(0);
        assertThat(first.firstInPlaneAxis()).isEqualTo(1);
        assertThat(first.secondInPlaneAxis()).isEqualTo(2);
        AxialAxis middle = AxialAxis.detect(affine(new double[] {0.9, 0, 0}, new double[] {0, 0, -5},
                new double[] {0, 0.9, 0}));
        assertThat(middle.axis()).isEqualTo(1);
        assertThat(middle.superiorSign()).isEqualTo(-1);
        assertThat(middle.firstInPlaneAxis()).isEqualTo(0);
        assertThat(middle.secondInPlaneAxis()).isEqualTo(2);
    }

    @Test
    void alignmentIsMeasuredPerUnitLengthNotByRawComponent() {
        // axis 0 has the larger raw z component (1.0 vs 0.9) but is tilted 60 deg from z (cos 0.5);
        // axis 2 is tilted ~26 deg (cos 0.9/sqrt(0.81+0.19) = 0.9): axis 2 wins
        double[] c0 = {Math.sqrt(3), 0, 1.0};
        double[] c1 = {0, 1, 0};
        double[] c2 = {-Math.sqrt(0.19), 0, 0.9};
        assertThat(AxialAxis.detect(affine(c0, c1, c2)).axis()).isEqualTo(2);
    }

    @Test
    void exactTieIsRejectedWithAHint() {
        double s = Math.sqrt(0.5);
        double[][] oblique = affine(new double[] {1, 0, 0}, new double[] {0, s, s}, new double[] {0, -s, s});
        assertThatThrownBy(() -> AxialAxis.detect(oblique))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ambiguous")
                .hasMessageContaining("AxialAxis.fixed");
    }

    @Test
    void zeroOrNonFiniteColumnIsRejected() {
        assertThatThrownBy(() -> AxialAxis.detect(affine(new double[] {1, 0, 0}, new double[] {0, 0, 0},
                new double[] {0, 0, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 1");
        assertThatThrownBy(() -> AxialAxis.detect(affine(new double[] {1, 0, 0}, new double[] {0, 1, 0},
                new double[] {0, 0, Double.NaN})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 2");
    }

    @Test
    void fixedAxisIgnoresTheAffineAndHasNoDirection() {
        AxialAxis a = AxialAxis.fixed(0);
        assertThat(a.axis()).isEqualTo(0);
        assertThat(a.superiorSign()).isZero();
        assertThat(a.fromAffine()).isFalse();
        assertThat(a.toString()).isEqualTo("AxialAxis[axis=0, superior direction unknown, fixed]");
        assertThatThrownBy(() -> AxialAxis.fixed(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 3");
    }

    @Test
    void sliceCountIsTheSizeAlongTheAxis() {
        Volume v = Volume.of("v", new int[] {4, 5, 6}, new float[120], new double[] {1, 1, 2});
        assertThat(AxialAxis.detect(v).sliceCount(v)).isEqualTo(6);
        assertThat(AxialAxis.fixed(0).sliceCount(v)).isEqualTo(4);
    }
}
