package dev.coin.data.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the lesions of one scan (tumours in a fraction of scans, cysts as confounders) and paints them into the
 * kidneys of a painted abdomen. Cysts are placed so that their bounding sphere never touches a tumour's, so each
 * voxel count is exact.
 */
final class LesionPainter {
    private static final int CYST_ATTEMPTS = 20;

    /** One lesion before painting: its parts (a union of ellipsoids) and values. */
    private record Plan(Lesion.Kind kind, AbdomenModel.Kidney host, double cu, double cv, double cz,
                        List<Ellipsoid> parts, double diameter, double hu) {
    }

    private LesionPainter() {
    }

    static List<Lesion> paint(PhantomConfig cfg, AbdomenModel model, VoxelCanvas canvas, SplittableRandom r) {
        List<Plan> plans = new ArrayList<>();
        double scale = model.phase == null ? 1 : model.phase.tumourContrastScale();
        if (r.nextDouble() < cfg.tumourFraction()) {
            int n = 1 + r.nextInt(cfg.maxTumoursPerScan());
            for (int i = 0; i < n; i++) {
                plans.add(tumour(cfg, pickKidney(model, r), scale, r));
            }
        }
        if (r.nextDouble() < cfg.cystFraction()) {
            int n = 1 + r.nextInt(cfg.maxCystsPerScan());
            for (int i = 0; i < n; i++) {
                AbdomenModel.Kidney host = pickKidney(model, r);
                double d = cfg.cystDiameterMm().sample(r);
                double hu = cfg.cystHu().sample(r);
                for (int attempt = 0; attempt < CYST_ATTEMPTS; attempt++) {
                    double[] c = pointIn(host.shape, AbdomenModel.uniform(r, 0.3, 1.0), r);
                    if (clearOf(c, d / 2, plans)) {
                        plans.add(new Plan(Lesion.Kind.CYST, host, c[0], c[1], c[2],
                                List.of(Ellipsoid.sphere(c[0], c[1], c[2], d / 2)), d, hu));
                        break;
                    }
                }
            }
        }
        List<Lesion> out = new ArrayList<>();
        for (Plan plan : plans) {
            out.add(paint(plan, canvas));
        }
        return out;
    }

    private static AbdomenModel.Kidney pickKidney(AbdomenModel model, SplittableRandom r) {
        return r.nextBoolean() ? model.left : model.right;
    }

    /**
     * A tumour: main ellipsoid with its largest semi-axis = diameter/2 and the others 75–100 % of it; a lobulated
     * tumour adds 1–2 spheres placed so that they stay inside the sphere of the drawn diameter. The centre lies
     * inside the kidney (up to 85 % of the way to its surface), so large tumours protrude.
     */
    private static Plan tumour(PhantomConfig cfg, AbdomenModel.Kidney host, double contrastScale,
                               SplittableRandom r) {
        double d = cfg.tumourDiameterMm().sample(r);
        double radius = d / 2;
        double[] c = pointIn(host.shape, AbdomenModel.uniform(r, 0, 0.85), r);
        double[] axes = {radius * AbdomenModel.uniform(r, 0.75, 1), radius * AbdomenModel.uniform(r, 0.75, 1),
                radius * AbdomenModel.uniform(r, 0.75, 1)};
        axes[r.nextInt(3)] = radius;
        List<Ellipsoid> parts = new ArrayList<>();
        parts.add(new Ellipsoid(c[0], c[1], c[2], axes[0], axes[1], axes[2], AbdomenModel.uniform(r, 0, Math.PI)));
        if (r.nextDouble() < cfg.lobulatedFraction()) {
            int lobes = 1 + r.nextInt(2);
            for (int i = 0; i < lobes; i++) {
                double rl = radius * AbdomenModel.uniform(r, 0.4, 0.6);
                double[] dir = unitVector(r);
                double off = (radius - rl) * AbdomenModel.uniform(r, 0.6, 1.0);
                parts.add(Ellipsoid.sphere(c[0] + off * dir[0], c[1] + off * dir[1], c[2] + off * dir[2], rl));
            }
        }
        double hu = host.cortexHu + contrastScale * cfg.tumourContrastHu().sample(r);
        return new Plan(Lesion.Kind.TUMOUR, host, c[0], c[1], c[2], parts, d, hu);
    }

    /** A point at normalised radius {@code rho} in a random direction of the ellipsoid's own frame. */
    private static double[] pointIn(Ellipsoid e, double rho, SplittableRandom r) {
        double[] d = unitVector(r);
        double lu = rho * e.a * d[0];
        double lv = rho * e.b * d[1];
        double lz = rho * e.c * d[2];
        return new double[] {e.cu + e.cos * lu - e.sin * lv, e.cv + e.sin * lu + e.cos * lv, e.cz + lz};
    }

    private static double[] unitVector(SplittableRandom r) {
        while (true) {
            double x = 2 * r.nextDouble() - 1;
            double y = 2 * r.nextDouble() - 1;
            double z = 2 * r.nextDouble() - 1;
            double n = Math.sqrt(x * x + y * y + z * z);
            if (n > 1e-3 && n <= 1) {
                return new double[] {x / n, y / n, z / n};
            }
        }
    }

    private static boolean clearOf(double[] c, double radius, List<Plan> plans) {
        for (Plan p : plans) {
            double dx = c[0] - p.cu;
            double dy = c[1] - p.cv;
            double dz = c[2] - p.cz;
            if (Math.sqrt(dx * dx + dy * dy + dz * dz) < radius + p.diameter / 2 + 1) {
                return false;
            }
        }
        return true;
    }

    private static Lesion paint(Plan plan, VoxelCanvas canvas) {
        byte tissue = plan.kind == Lesion.Kind.TUMOUR ? Tissue.TUMOUR : Tissue.CYST;
        int[] count = {0};
        for (Ellipsoid part : plan.parts) {
            canvas.visit(part, 1, (idx, p, k, q) -> {
                byte t = canvas.tissue[idx];
                if (t == tissue || t == Tissue.AIR || t == Tissue.BONE || t == Tissue.DISC || t == Tissue.CSF
                        || t == Tissue.VESSEL) {
                    return; // lesions displace soft tissue, not bone, vessels or air outside the body
                }
                canvas.set(idx, tissue, plan.hu);
                count[0]++;
            });
        }
        Ellipsoid main = plan.parts.get(0);
        double[] centre = {canvas.voxelI(plan.cu, plan.cv), canvas.voxelJ(plan.cu, plan.cv), canvas.voxelK(plan.cz)};
        return new Lesion(plan.kind, plan.host.side, centre, new double[] {main.a, main.b, main.c}, plan.diameter,
                plan.parts.size(), (float) plan.hu, (float) (plan.hu - plan.host.cortexHu), count[0]);
    }
}
