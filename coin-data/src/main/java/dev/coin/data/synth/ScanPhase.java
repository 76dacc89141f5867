package dev.coin.data.synth;

import java.util.SplittableRandom;

/**
 * The contrast phase of one phantom scan, which sets the kidneys', vessels' and solid organs' HU. Public datasets
 * such as TotalSegmentator (the paper's synthetic-experiment source) mix phases, so their kidneys spread from
 * near-water to well over 150 HU; a phantom with one phase puts every kidney at the same windowed value.
 *
 * <p>Figures (HU before texture and noise; approximate, from general radiology knowledge of renal enhancement in
 * multiphase CT urography / renal-mass protocols, not from one measured dataset):
 * <table>
 * <caption>HU per phase</caption>
 * <tr><th>phase</th><th>renal cortex</th><th>medulla</th><th>aorta</th><th>IVC</th><th>liver</th><th>spleen</th></tr>
 * <tr><td>{@link #NON_CONTRAST}</td><td>25–40</td><td>20–35</td><td>35–50</td><td>35–50</td><td>55–65</td>
 *     <td>45–55</td></tr>
 * <tr><td>{@link #CORTICOMEDULLARY} (≈ 25–40 s)</td><td>150–200</td><td>60–100</td><td>250–350</td>
 *     <td>70–110</td><td>65–80</td><td>80–120</td></tr>
 * <tr><td>{@link #NEPHROGRAPHIC} (≈ 80–120 s)</td><td>100–180</td><td>cortex − 0…10 (homogeneous)</td>
 *     <td>140–190</td><td>120–160</td><td>100–120</td><td>100–120</td></tr>
 * </table>
 * Each kidney draws its own values inside its scan's phase (per-scan and left/right variation). A tumour's HU is
 * the cortex HU plus the configured contrast times {@link #tumourContrastScale()}: without contrast a solid
 * renal tumour is nearly isodense (≈ 20–40 HU like the kidney), with contrast it enhances less than the cortex.
 * Cysts stay near water in every phase (they do not enhance).
 */
public enum ScanPhase {
    /** Unenhanced scan: kidneys near soft tissue, 20–40 HU. */
    NON_CONTRAST(25, 40, 20, 35, 35, 50, 35, 50, 55, 65, 45, 55, 0.15),
    /** Arterial / corticomedullary phase: bright cortex, medullary pyramids still dark. */
    CORTICOMEDULLARY(150, 200, 60, 100, 250, 350, 70, 110, 65, 80, 80, 120, 1.0),
    /** Nephrographic / portal-venous phase: homogeneous parenchyma (medulla drawn just below the cortex). */
    NEPHROGRAPHIC(100, 180, Double.NaN, Double.NaN, 140, 190, 120, 160, 100, 120, 100, 120, 1.0);

    private final Interval cortex;
    private final Interval medulla;
    private final Interval aorta;
    private final Interval ivc;
    private final Interval liver;
    private final Interval spleen;
    private final double tumourContrastScale;

    ScanPhase(double cLo, double cHi, double mLo, double mHi, double aLo, double aHi, double iLo, double iHi,
              double lLo, double lHi, double sLo, double sHi, double tumourContrastScale) {
        this.cortex = Interval.of(cLo, cHi);
        this.medulla = Double.isNaN(mLo) ? null : Interval.of(mLo, mHi);
        this.aorta = Interval.of(aLo, aHi);
        this.ivc = Interval.of(iLo, iHi);
        this.liver = Interval.of(lLo, lHi);
        this.spleen = Interval.of(sLo, sHi);
        this.tumourContrastScale = tumourContrastScale;
    }

    /** Renal cortex HU range. */
    public Interval cortexHu() {
        return cortex;
    }

    /** Factor on {@link PhantomConfig#tumourContrastHu()}: a tumour is hardly hypodense without contrast. */
    public double tumourContrastScale() {
        return tumourContrastScale;
    }

    double sampleCortex(SplittableRandom r) {
        return cortex.sample(r);
    }

    /** Medulla HU given the kidney's cortex HU (nephrographic: homogeneous, 0–10 HU below the cortex). */
    double sampleMedulla(SplittableRandom r, double cortexHu) {
        return medulla == null ? cortexHu - 10 * r.nextDouble() : medulla.sample(r);
    }

    double sampleAorta(SplittableRandom r) {
        return aorta.sample(r);
    }

    double sampleIvc(SplittableRandom r) {
        return ivc.sample(r);
    }

    double sampleLiver(SplittableRandom r) {
        return liver.sample(r);
    }

    double sampleSpleen(SplittableRandom r) {
        return spleen.sample(r);
    }
}
