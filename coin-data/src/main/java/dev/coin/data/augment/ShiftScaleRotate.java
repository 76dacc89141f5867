package dev.coin.data.augment;

import dev.coin.data.image.FloatImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * albumentations' {@code ShiftScaleRotate}: with probability {@code p}, rotate by U(−rotateLimit, rotateLimit)
 * degrees and scale by 1 + U(−scaleLimit, scaleLimit) about the pixel-grid centre ((w−1)/2, (h−1)/2), then shift
 * by U(−shiftLimit, shiftLimit)·(w, h); image bilinear, masks nearest, outside pixels set to {@code borderValue}.
 * The reference uses a constant 0 border on [−1, 1] images, i.e. mid-grey (not black, which would be −1); that is
 * the default here too. Reference: shift 0.07, scale 0.1, rotate 10°, p 0.5.
 */
public record ShiftScaleRotate(double shiftLimit, double scaleLimit, double rotateLimitDeg, double p,
                               float borderValue) implements Transform {
    public ShiftScaleRotate {
        Probability.nonNegative(shiftLimit, "shiftLimit");
        if (!(scaleLimit >= 0 && scaleLimit < 1)) {
            throw new IllegalArgumentException("scaleLimit must be in [0, 1) so the scale stays positive, got "
                    + scaleLimit);
        }
        Probability.nonNegative(rotateLimitDeg, "rotateLimitDeg");
        Probability.check(p, "p");
        if (!Float.isFinite(borderValue)) {
            throw new IllegalArgumentException("borderValue must be finite, got " + borderValue);
        }
    }

    /** The classifier setting of the reference: shift 0.07, scale 0.1, rotate 10°, p 0.5, border 0. */
    public static ShiftScaleRotate reference() {
        return new ShiftScaleRotate(0.07, 0.1, 10, 0.5, 0f);
    }

    @Override
    public AugmentTarget apply(AugmentTarget target, SplittableRandom rng) {
        if (!(rng.nextDouble() < p)) {
            return target;
        }
        // albumentations' draw order: angle, scale, dx, dy.
        double angle = uniform(rng, rotateLimitDeg);
        double scale = 1 + uniform(rng, scaleLimit);
        double dx = uniform(rng, shiftLimit);
        double dy = uniform(rng, shiftLimit);
        return warp(target, angle, scale, dx, dy);
    }

    /** The deterministic warp for given parameters (shifts as fractions of width/height). */
    public AugmentTarget warp(AugmentTarget target, double angleDeg, double scale, double dx, double dy) {
        int h = target.height();
        int w = target.width();
        double[] inv = Warps.rotateScaleShiftInverse((w - 1) / 2.0, (h - 1) / 2.0, angleDeg, scale, dx * w, dy * h);
        float[] img = Warps.warpAffine(target.image().toArray(), h, w, inv, false, borderValue);
        List<FloatImage> masks = new ArrayList<>(target.masks().size());
        for (FloatImage m : target.masks()) {
            masks.add(FloatImage.wrap(h, w, Warps.warpAffine(m.toArray(), h, w, inv, true, 0f)));
        }
        return new AugmentTarget(FloatImage.wrap(h, w, img), masks);
    }

    private static double uniform(SplittableRandom rng, double limit) {
        return limit == 0 ? 0 : -limit + 2 * limit * rng.nextDouble();
    }
}
