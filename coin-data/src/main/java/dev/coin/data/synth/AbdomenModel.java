package dev.coin.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The anatomy of one phantom scan, drawn from a seeded generator: body outline and wall layers, spine, ribs,
 * organs, vessels, bowel and two kidneys. Lengths in mm in the canonical frame (u to the patient's left,
 * v posterior, z superior with z = 0 at the first slice); HU values before texture and noise.
 */
final class AbdomenModel {
    /** A kidney: outer ellipsoid, renal-sinus ellipsoid (fat, opens at the hilum) and its HU values. */
    static final class Kidney {
        final Lesion.Side side;
        final Ellipsoid shape;
        final Ellipsoid sinus;
        /** Medulla lies inside the scaled ellipsoid {@code q < medullaQ} (cortex is the outer shell). */
        final double medullaQ;
        final double cortexHu;
        final double medullaHu;
        final double sinusHu;
        final int pyramids;
        final double pyramidPhase;

        Kidney(SplittableRandom r, Lesion.Side side, double centreU, double centreV, double centreZ, ScanPhase phase,
               SplittableRandom phaseRng) {
            this.side = side;
            double s = side == Lesion.Side.LEFT ? 1 : -1;
            double a = uniform(r, 26, 33);
            double b = uniform(r, 20, 26);
            double c = uniform(r, 48, 60);
            // The hilum faces antero-medially; the long in-plane axis is perpendicular to it.
            double beta = Math.toRadians(uniform(r, 25, 50));
            double hu = -s * Math.cos(beta);
            double hv = -Math.sin(beta);
            double phi = Math.atan2(hu, -hv);
            this.shape = new Ellipsoid(centreU, centreV, centreZ, a, b, c, phi);
            // Local +v axis of the ellipsoid is (-sin phi, cos phi) = (hu, hv): the sinus sits towards the hilum.
            double off = 0.55 * b;
            this.sinus = new Ellipsoid(centreU + hu * off, centreV + hv * off, centreZ, 0.45 * a, 0.5 * b, 0.6 * c, phi);
            double cortex = uniform(r, 5, 8);
            double m = 1 - cortex / b;
            this.medullaQ = m * m;
            // The single-phase draws always happen, so the phase mix leaves the anatomy stream unchanged.
            double cortexHu0 = uniform(r, 150, 180);
            double medullaHu0 = uniform(r, 100, 120);
            this.cortexHu = phase == null ? cortexHu0 : phase.sampleCortex(phaseRng);
            this.medullaHu = phase == null ? medullaHu0 : phase.sampleMedulla(phaseRng, cortexHu);
            this.sinusHu = uniform(r, -100, -60);
            this.pyramids = 5 + r.nextInt(3);
            this.pyramidPhase = uniform(r, 0, 2 * Math.PI);
        }

        private Kidney(Kidney k, double dz) {
            this.side = k.side;
            this.shape = shifted(k.shape, dz);
            this.sinus = shifted(k.sinus, dz);
            this.medullaQ = k.medullaQ;
            this.cortexHu = k.cortexHu;
            this.medullaHu = k.medullaHu;
            this.sinusHu = k.sinusHu;
            this.pyramids = k.pyramids;
            this.pyramidPhase = k.pyramidPhase;
        }

        /** The same kidney moved up by {@code dz} mm. */
        Kidney shiftedUp(double dz) {
            return new Kidney(this, dz);
        }

        private static Ellipsoid shifted(Ellipsoid e, double dz) {
            return new Ellipsoid(e.cu, e.cv, e.cz + dz, e.a, e.b, e.c, Math.atan2(e.sin, e.cos));
        }

        double top() {
            return shape.cz + shape.c;
        }
    }

    /** A bowel loop (or stomach, colon): wall, content and an anterior gas pocket above an air–fluid level. */
    static final class Loop {
        final Ellipsoid shape;
        final double contentHu;
        final double wallHu;
        /** Fraction of the loop's height filled with gas (gas rises anteriorly in a supine patient). */
        final double gasFraction;

        Loop(Ellipsoid shape, double contentHu, double wallHu, double gasFraction) {
            this.shape = shape;
            this.contentHu = contentHu;
            this.wallHu = wallHu;
            this.gasFraction = gasFraction;
        }
    }

    // Volume geometry
    final double spacing;
    final double sliceThickness;
    final int nz;
    final double offsetU;
    final double offsetV;
    final double rotation;
    // Body wall
    final double bodyA;
    final double bodyB;
    final double bodyWobble;
    final double bodyWobblePhase;
    final double fatLateral;
    final double fatAnterior;
    final double fatPosterior;
    final double muscle;
    final double fatHu;
    final double muscleHu;
    // Spine
    final double vbU;
    final double vbV;
    final double vbR;
    final double cortexRim;
    final double cancellousHu;
    final double corticalHu;
    final double posteriorHu;
    final double discHu;
    final double discPeriod;
    final double discThickness;
    final double discPhase;
    final double canalV;
    final double canalR;
    final double paraspinalU;
    final double paraspinalA;
    final double paraspinalB;
    // Psoas
    final double psoasU;
    final double psoasV;
    final double psoasRMax;
    // Ribs
    final double ribStartZ;
    final double ribPeriod;
    final double ribHu;
    // Organs and vessels
    final Ellipsoid liver;
    final double liverHu;
    final Ellipsoid spleen;
    final double spleenHu;
    final Ellipsoid aorta;
    final double aortaHu;
    final Ellipsoid ivc;
    final double ivcHu;
    final List<Loop> loops = new ArrayList<>();
    final Kidney left;
    final Kidney right;
    /** The scan's contrast phase; {@code null} for the single-phase phantom. */
    final ScanPhase phase;

    /**
     * Draws the anatomy from {@code r} and, unless the config is single-phase, the contrast phase and the
     * phase-dependent HU values from {@code phaseRng} (a separate stream: the geometry is the same in every phase).
     */
    AbdomenModel(PhantomConfig cfg, SplittableRandom r, SplittableRandom phaseRng) {
        phase = cfg.drawPhase(phaseRng);
        double fov = cfg.fieldOfViewMm().sample(r);
        spacing = fov / cfg.matrixSize();
        sliceThickness = cfg.sliceThicknessMm().sample(r);
        offsetU = uniform(r, -0.03, 0.03) * fov;
        offsetV = uniform(r, -0.01, 0.04) * fov;
        rotation = Math.toRadians(uniform(r, -cfg.maxRotationDeg(), cfg.maxRotationDeg()));

        bodyA = Math.min(uniform(r, 135, 170), 0.42 * fov);
        bodyB = bodyA * uniform(r, 0.68, 0.8);
        bodyWobble = uniform(r, 0.0, 0.04);
        bodyWobblePhase = uniform(r, 0, 2 * Math.PI);
        fatLateral = uniform(r, 8, 28);
        fatAnterior = fatLateral * uniform(r, 1.0, 1.5);
        fatPosterior = fatLateral * uniform(r, 0.6, 1.0);
        muscle = uniform(r, 8, 14);
        fatHu = uniform(r, -115, -85);
        muscleHu = uniform(r, 40, 60);
        double aIn = bodyA - fatLateral - muscle;
        double bIn = bodyB - 0.5 * (fatAnterior + fatPosterior) - muscle;

        vbU = uniform(r, -4, 4);
        vbR = uniform(r, 16, 21);
        vbV = bodyB - fatPosterior - uniform(r, 68, 80);
        cortexRim = uniform(r, 1.5, 2.5);
        cancellousHu = uniform(r, 300, 420);
        corticalHu = uniform(r, 750, 1000);
        posteriorHu = uniform(r, 500, 800);
        discHu = uniform(r, 70, 100);
        discPeriod = uniform(r, 28, 34);
        discThickness = uniform(r, 6, 9);
        discPhase = uniform(r, 0, discPeriod);
        canalR = uniform(r, 7, 9);
        canalV = vbV + vbR + canalR + uniform(r, 2, 4);
        paraspinalU = uniform(r, 22, 28);
        paraspinalA = uniform(r, 17, 23);
        paraspinalB = uniform(r, 20, 26);
        psoasU = vbR + uniform(r, 10, 16);
        psoasV = vbV + uniform(r, -3, 5);
        psoasRMax = uniform(r, 15, 22);

        // Kidneys: the right one sits lower (the liver pushes it down).
        double drop = uniform(r, 10, 25);
        Kidney l = new Kidney(r, Lesion.Side.LEFT, uniform(r, 50, 65), vbV + uniform(r, -8, 8), 0, phase, phaseRng);
        Kidney rt = new Kidney(r, Lesion.Side.RIGHT, -uniform(r, 50, 65), vbV + uniform(r, -8, 8), -drop, phase,
                phaseRng);
        double bottom = Math.min(l.shape.cz - l.shape.c, rt.shape.cz - rt.shape.c) - cfg.zMarginMm().sample(r);
        double top = Math.max(l.top(), rt.top()) + cfg.zMarginMm().sample(r);
        nz = Math.max(1, (int) Math.round((top - bottom) / sliceThickness) + 1);
        left = l.shiftedUp(-bottom);
        right = rt.shiftedUp(-bottom);
        double extent = (nz - 1) * sliceThickness;

        ribStartZ = left.shape.cz + uniform(r, -15, 15);
        ribPeriod = uniform(r, 22, 30);
        ribHu = uniform(r, 500, 800);

        liver = new Ellipsoid(-0.42 * aIn, -0.05 * bIn, right.top() + uniform(r, 0, 30), 0.55 * aIn, 0.8 * bIn,
                uniform(r, 100, 130), uniform(r, -0.2, 0.2));
        double liverHu0 = uniform(r, 55, 68);
        liverHu = phase == null ? liverHu0 : phase.sampleLiver(phaseRng);
        spleen = new Ellipsoid(0.62 * aIn, 0.3 * bIn, left.shape.cz + left.shape.c * uniform(r, 0.3, 0.8),
                uniform(r, 20, 30), uniform(r, 45, 60), uniform(r, 45, 60), uniform(r, 0.4, 0.8));
        double spleenHu0 = uniform(r, 45, 55);
        spleenHu = phase == null ? spleenHu0 : phase.sampleSpleen(phaseRng);
        double aoR = uniform(r, 9, 13);
        aorta = Ellipsoid.cylinder(vbU + uniform(r, 4, 14), vbV - vbR - aoR - uniform(r, 2, 5), aoR, aoR, 0);
        double aortaHu0 = uniform(r, 150, 200);
        aortaHu = phase == null ? aortaHu0 : phase.sampleAorta(phaseRng);
        ivc = Ellipsoid.cylinder(vbU - uniform(r, 22, 30), vbV - vbR - uniform(r, 8, 12), uniform(r, 10, 14),
                uniform(r, 7, 10), uniform(r, -0.3, 0.3));
        double ivcHu0 = uniform(r, 100, 130);
        ivcHu = phase == null ? ivcHu0 : phase.sampleIvc(phaseRng);

        // Stomach (upper left, anterior), colon (lateral, long in z) and small-bowel loops.
        loops.add(new Loop(new Ellipsoid(0.35 * aIn, -0.45 * bIn, left.top() + uniform(r, 0, 20), uniform(r, 35, 50),
                uniform(r, 25, 35), uniform(r, 40, 60), uniform(r, -0.4, 0.4)), uniform(r, 10, 30),
                uniform(r, 35, 55), uniform(r, 0.2, 0.5)));
        for (int s = -1; s <= 1; s += 2) {
            double rad = uniform(r, 15, 22);
            loops.add(new Loop(new Ellipsoid(s * 0.78 * aIn, uniform(r, -0.15, 0.15) * bIn, extent * uniform(r, 0.2, 0.5),
                    rad, rad * uniform(r, 0.8, 1.0), uniform(r, 60, 110), uniform(r, 0, Math.PI)),
                    uniform(r, -60, 20), uniform(r, 35, 55), uniform(r, 0.3, 0.9)));
        }
        int n = (int) Math.round(extent / 12 * uniform(r, 1.5, 2.5));
        for (int i = 0; i < n; i++) {
            double a = uniform(r, 8, 20);
            Ellipsoid e = new Ellipsoid(uniform(r, -0.8, 0.8) * aIn, uniform(r, -0.85, 0.2) * bIn,
                    uniform(r, 0, extent), a, a * uniform(r, 0.6, 1.0), uniform(r, 12, 40), uniform(r, 0, Math.PI));
            double gas = r.nextDouble() < 0.5 ? uniform(r, 0.15, 0.8) : 0;
            loops.add(new Loop(e, uniform(r, 0, 35), uniform(r, 35, 55), gas));
        }
    }

    /** Semi-axis (u) of the body outline at height z. */
    double bodyA(double z) {
        return bodyA * (1 + bodyWobble * Math.sin(2 * Math.PI * z / 400 + bodyWobblePhase));
    }

    double bodyB(double z) {
        return bodyB * (1 + bodyWobble * Math.sin(2 * Math.PI * z / 400 + bodyWobblePhase));
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
