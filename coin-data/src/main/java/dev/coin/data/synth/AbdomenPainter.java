package dev.coin.data.synth;

/**
 * Paints an {@link AbdomenModel} onto a {@link VoxelCanvas}, back to front: air, body wall, bowel, organs,
 * vessels, muscles, spine, ribs, kidneys. Later structures overwrite earlier ones only where anatomy allows
 * (organs displace visceral fat and bowel, never bone).
 */
final class AbdomenPainter {
    private final AbdomenModel m;
    private final VoxelCanvas cv;

    private AbdomenPainter(AbdomenModel model, VoxelCanvas canvas) {
        this.m = model;
        this.cv = canvas;
    }

    static void paint(AbdomenModel model, VoxelCanvas canvas) {
        AbdomenPainter p = new AbdomenPainter(model, canvas);
        p.bodyWall();
        for (AbdomenModel.Loop loop : model.loops) {
            p.loop(loop);
        }
        p.organ(model.liver, Tissue.LIVER, model.liverHu);
        p.organ(model.spleen, Tissue.SPLEEN, model.spleenHu);
        p.muscles();
        p.vessel(model.aorta, model.aortaHu);
        p.vessel(model.ivc, model.ivcHu);
        p.spine();
        p.ribs();
        p.kidney(model.left);
        p.kidney(model.right);
    }

    /** Air outside, subcutaneous fat, the muscle layer and visceral fat inside (the cavity). */
    private void bodyWall() {
        int ps = cv.planeSize;
        for (int k = 0; k < cv.nz; k++) {
            double z = cv.z(k);
            double a = m.bodyA(z);
            double b = m.bodyB(z);
            double aFat = a - m.fatLateral;
            double aMus = aFat - m.muscle;
            for (int p = 0; p < ps; p++) {
                double u = cv.u[p];
                double v = cv.v[p];
                int idx = p + ps * k;
                if (sq(u / a) + sq(v / b) >= 1) {
                    cv.set(idx, Tissue.AIR, -1000);
                    continue;
                }
                double bFat = b - (v < 0 ? m.fatAnterior : m.fatPosterior);
                if (sq(u / aFat) + sq(v / bFat) >= 1) {
                    cv.set(idx, Tissue.FAT, m.fatHu);
                } else if (sq(u / aMus) + sq(v / (bFat - m.muscle)) >= 1) {
                    cv.set(idx, Tissue.MUSCLE, m.muscleHu);
                } else {
                    cv.set(idx, Tissue.CAVITY, m.fatHu);
                }
            }
        }
    }

    private void loop(AbdomenModel.Loop loop) {
        Ellipsoid e = loop.shape;
        double level = 2 * loop.gasFraction - 1; // relative v below which (anteriorly) the lumen holds gas
        double extent = e.maxInPlaneAxis();
        cv.visit(e, 1, (idx, p, k, q) -> {
            byte t = cv.tissue[idx];
            if (!Tissue.displaceable(t)) {
                return;
            }
            if (q > 0.75) {
                cv.set(idx, Tissue.BOWEL, loop.wallHu);
            } else if (loop.gasFraction > 0 && (cv.v[p] - e.cv) / extent < level) {
                cv.set(idx, Tissue.GAS, -1000);
            } else {
                cv.set(idx, Tissue.BOWEL, loop.contentHu);
            }
        });
    }

    private void organ(Ellipsoid e, byte tissue, double hu) {
        cv.visit(e, 1, (idx, p, k, q) -> {
            if (Tissue.displaceable(cv.tissue[idx])) {
                cv.set(idx, tissue, hu);
            }
        });
    }

    /** Paraspinal muscles behind the spine and psoas muscles beside it (growing towards the pelvis). */
    private void muscles() {
        for (int s = -1; s <= 1; s += 2) {
            Ellipsoid para = Ellipsoid.cylinder(m.vbU + s * m.paraspinalU, m.canalV + 14, m.paraspinalA,
                    m.paraspinalB, 0);
            cv.visit(para, 1, (idx, p, k, q) -> {
                byte t = cv.tissue[idx];
                if (t == Tissue.FAT || t == Tissue.CAVITY || t == Tissue.MUSCLE) {
                    cv.set(idx, Tissue.MUSCLE, m.muscleHu);
                }
            });
        }
        double extent = Math.max(cv.z(cv.nz - 1), 1);
        for (int k = 0; k < cv.nz; k++) {
            double r = 4 + (m.psoasRMax - 4) * (1 - cv.z(k) / extent);
            for (int s = -1; s <= 1; s += 2) {
                Ellipsoid psoas = new Ellipsoid(m.vbU + s * (m.psoasU + 0.3 * r), m.psoasV, cv.z(k), r, 0.85 * r,
                        cv.dz, 0);
                cv.visit(psoas, 1, (idx, p, kk, q) -> {
                    if (Tissue.displaceable(cv.tissue[idx])) {
                        cv.set(idx, Tissue.MUSCLE, m.muscleHu);
                    }
                });
            }
        }
    }

    private void vessel(Ellipsoid e, double hu) {
        cv.visit(e, 1, (idx, p, k, q) -> {
            if (cv.tissue[idx] != Tissue.AIR) {
                cv.set(idx, Tissue.VESSEL, hu);
            }
        });
    }

    /**
     * Vertebral bodies (cancellous bone inside a cortical rim) separated by discs, and at vertebral levels the
     * posterior elements: neural arch around the canal, spinous and transverse processes.
     */
    private void spine() {
        Ellipsoid body = Ellipsoid.cylinder(m.vbU, m.vbV, 1.1 * m.vbR, m.vbR, 0);
        double rim = 1 - m.cortexRim / m.vbR;
        double rimQ = rim * rim;
        Ellipsoid arch = Ellipsoid.cylinder(m.vbU, m.canalV, m.canalR + 5, m.canalR + 5, 0);
        Ellipsoid canal = Ellipsoid.cylinder(m.vbU, m.canalV, m.canalR, m.canalR, 0);
        Ellipsoid pedicles = Ellipsoid.cylinder(m.vbU, 0.5 * (m.vbV + m.canalV), m.canalR + 4, 0.5 * (m.canalV - m.vbV), 0);
        Ellipsoid spinous = Ellipsoid.cylinder(m.vbU, m.canalV + m.canalR + 16, 3.5, 16, 0);
        Ellipsoid transverseL = Ellipsoid.cylinder(m.vbU + 24, m.canalV - 2, 14, 4, 0.2);
        Ellipsoid transverseR = Ellipsoid.cylinder(m.vbU - 24, m.canalV - 2, 14, 4, -0.2);
        for (int k = 0; k < cv.nz; k++) {
            double phase = ((cv.z(k) - m.discPhase) % m.discPeriod + m.discPeriod) % m.discPeriod;
            boolean disc = phase < m.discThickness;
            double bodyLen = m.discPeriod - m.discThickness;
            double rel = (phase - m.discThickness) / bodyLen;
            boolean arches = !disc && rel > 0.15 && rel < 0.85;
            boolean processes = !disc && rel > 0.3 && rel < 0.7;
            final int kk = k;
            sliceOf(body, k, (idx, q) -> {
                if (disc) {
                    cv.set(idx, Tissue.DISC, m.discHu);
                } else {
                    cv.set(idx, Tissue.BONE, q >= rimQ ? m.corticalHu : m.cancellousHu);
                }
            });
            if (arches) {
                sliceOf(pedicles, kk, (idx, q) -> cv.set(idx, Tissue.BONE, m.posteriorHu));
                sliceOf(arch, kk, (idx, q) -> cv.set(idx, Tissue.BONE, m.posteriorHu));
                sliceOf(spinous, kk, (idx, q) -> cv.set(idx, Tissue.BONE, m.posteriorHu));
            }
            if (processes) {
                sliceOf(transverseL, kk, (idx, q) -> cv.set(idx, Tissue.BONE, m.posteriorHu));
                sliceOf(transverseR, kk, (idx, q) -> cv.set(idx, Tissue.BONE, m.posteriorHu));
            }
            sliceOf(canal, kk, (idx, q) -> cv.set(idx, Tissue.CSF, 10));
        }
    }

    /**
     * Rib cross-sections at the upper levels: small bone ovals along the inner edge of the wall, sliding along it
     * with height because ribs run obliquely; more of them the higher the slice.
     */
    private void ribs() {
        double step = Math.toRadians(24);
        for (int k = 0; k < cv.nz; k++) {
            double z = cv.z(k);
            if (z < m.ribStartZ) {
                continue;
            }
            double t = (z - m.ribStartZ) / m.ribPeriod;
            int count = Math.min(5, 1 + (int) (1.5 * t));
            double slide = (t - Math.floor(t)) * step;
            double a = m.bodyA(z) - m.fatLateral - 0.4 * m.muscle;
            double b = m.bodyB(z) - 0.5 * (m.fatAnterior + m.fatPosterior) - 0.4 * m.muscle;
            for (int n = 0; n < count; n++) {
                double ang = Math.toRadians(70) - n * step - slide;
                for (int s = -1; s <= 1; s += 2) {
                    double cu = s * a * Math.cos(ang);
                    double cvv = b * Math.sin(ang);
                    double tangent = Math.atan2(b * Math.cos(ang), -s * a * Math.sin(ang));
                    Ellipsoid rib = new Ellipsoid(cu, cvv, z, 5.5, 3.5, cv.dz, tangent);
                    sliceOf(rib, k, (idx, q) -> {
                        byte tt = cv.tissue[idx];
                        if (tt == Tissue.MUSCLE || tt == Tissue.FAT || tt == Tissue.CAVITY || tt == Tissue.LIVER
                                || tt == Tissue.SPLEEN) {
                            cv.set(idx, Tissue.BONE, q > 0.45 ? m.corticalHu : m.ribHu);
                        }
                    });
                }
            }
        }
    }

    /** Cortex (outer shell and columns), medullary pyramids, renal-sinus fat opening at the hilum. */
    private void kidney(AbdomenModel.Kidney kd) {
        Ellipsoid e = kd.shape;
        cv.visit(e, 1, (idx, p, k, q) -> {
            byte t = cv.tissue[idx];
            if (t == Tissue.BONE || t == Tissue.DISC || t == Tissue.CSF || t == Tissue.VESSEL) {
                return;
            }
            double u = cv.u[p];
            double v = cv.v[p];
            double z = cv.z(k);
            if (kd.sinus.q(u, v, z) < 1) {
                cv.set(idx, Tissue.SINUS_FAT, kd.sinusHu);
                return;
            }
            boolean medulla = false;
            if (q < kd.medullaQ) {
                double psi = Math.atan2(e.localV(u, v) / e.b, e.localU(u, v) / e.a);
                medulla = Math.cos(kd.pyramids * psi + kd.pyramidPhase) > -0.3;
            }
            cv.set(idx, Tissue.KIDNEY, medulla ? kd.medullaHu : kd.cortexHu);
        });
    }

    /** Receives each in-plane voxel of a shape's section on one slice. */
    @FunctionalInterface
    private interface SliceVisitor {
        void visit(int index, double q);
    }

    /** Visits the section of an elliptic cylinder (or any ellipsoid) on slice k only. */
    private void sliceOf(Ellipsoid e, int k, SliceVisitor visitor) {
        double qz = e.qZ(cv.z(k));
        if (qz >= 1) {
            return;
        }
        double ci = cv.voxelI(e.cu, e.cv);
        double cj = cv.voxelJ(e.cu, e.cv);
        double r = e.maxInPlaneAxis() / cv.sp + 1;
        int i0 = Math.max(0, (int) Math.floor(ci - r));
        int i1 = Math.min(cv.nx - 1, (int) Math.ceil(ci + r));
        int j0 = Math.max(0, (int) Math.floor(cj - r));
        int j1 = Math.min(cv.ny - 1, (int) Math.ceil(cj + r));
        int base = cv.planeSize * k;
        for (int j = j0; j <= j1; j++) {
            for (int i = i0; i <= i1; i++) {
                int p = i + cv.nx * j;
                double q = e.qInPlane(cv.u[p], cv.v[p]);
                if (q < 1) {
                    visitor.visit(base + p, q);
                }
            }
        }
    }

    private static double sq(double x) {
        return x * x;
    }
}
