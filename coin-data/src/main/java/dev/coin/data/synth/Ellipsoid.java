package dev.coin.data.synth;

/**
 * An ellipsoid in the phantom's canonical frame (mm: u to the patient's left, v posterior, z superior), rotated
 * in-plane by {@code phi}. {@link #q} is the normalised squared radius: inside when &lt; 1.
 */
final class Ellipsoid {
    final double cu;
    final double cv;
    final double cz;
    final double a;
    final double b;
    final double c;
    final double cos;
    final double sin;

    Ellipsoid(double cu, double cv, double cz, double a, double b, double c, double phi) {
        this.cu = cu;
        this.cv = cv;
        this.cz = cz;
        this.a = a;
        this.b = b;
        this.c = c;
        this.cos = Math.cos(phi);
        this.sin = Math.sin(phi);
    }

    /** An infinitely long elliptic cylinder along z (vessels). */
    static Ellipsoid cylinder(double cu, double cv, double a, double b, double phi) {
        return new Ellipsoid(cu, cv, 0, a, b, Double.POSITIVE_INFINITY, phi);
    }

    static Ellipsoid sphere(double cu, double cv, double cz, double r) {
        return new Ellipsoid(cu, cv, cz, r, r, r, 0);
    }

    /** Coordinate along the ellipsoid's first in-plane axis. */
    double localU(double u, double v) {
        return cos * (u - cu) + sin * (v - cv);
    }

    /** Coordinate along the ellipsoid's second in-plane axis. */
    double localV(double u, double v) {
        return -sin * (u - cu) + cos * (v - cv);
    }

    double qInPlane(double u, double v) {
        double lu = localU(u, v) / a;
        double lv = localV(u, v) / b;
        return lu * lu + lv * lv;
    }

    double qZ(double z) {
        if (c == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double t = (z - cz) / c;
        return t * t;
    }

    double q(double u, double v, double z) {
        return qInPlane(u, v) + qZ(z);
    }

    double maxInPlaneAxis() {
        return Math.max(a, b);
    }

    /** Largest semi-axis: the ellipsoid lies in the sphere of this radius around its centre. */
    double maxAxis() {
        return Math.max(Math.max(a, b), c);
    }
}
