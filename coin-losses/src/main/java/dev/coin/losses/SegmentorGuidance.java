package dev.coin.losses;

import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A Seg-CFT-style segmentor-guided generator term: a frozen segmentor S maps a slice to the probability map of the
 * organ (kidney, tumour included), and the term penalises the change of that structure between x and x_cf, so the
 * edit removes the tumour without eroding the organ. It reads the {@link SegmentorInputs} S(x) and S(x_cf); the
 * gradient reaches x_cf through the frozen segmentor.
 *
 * <p>Forms (B samples, H×W pixels, one channel):
 * <ul>
 *   <li>{@link Form#MAP_L1} (the default): L = mean over b, h, w of |S(x) − S(x_cf)|;</li>
 *   <li>{@link Form#MAP_L2}: L = mean of (S(x) − S(x_cf))²;</li>
 *   <li>{@link Form#AREA}: L = mean over b of |Σ_hw S(x_b) − Σ_hw S(x_cf,b)| / (H·W), the change of the organ's
 *       area as a fraction of the slice.</li>
 * </ul>
 * The per-pixel L1 map is the default because it constrains where the organ is, not only how much of it there is:
 * the area form is blind to an edit that erodes one side of the kidney and grows the other, or that moves tissue
 * from kidney to tumour-shaped background at equal total, and its gradient is the same for every pixel of a sample
 * (sign times 1/(H·W)), so it cannot tell the generator which pixels to give back. L1 rather than L2 keeps a
 * constant push on small but systematic erosions (the squared form fades as the difference shrinks, the behaviour
 * wanted only when the segmentor is noisy at the organ's edge); all three lie in [0, 1].
 *
 * <p>Where it lives: coin-losses knows no networks, so the term takes the small {@link SegmentorNetwork}
 * interface; coin-core's {@code UNetSegmentor} implements it (weights as graph constants named {@code seg.…}, eval
 * mode) and its {@code SegmentorTrainer} trains one. Keeping the term here lets any SameDiff-built segmentor plug in
 * and keeps coin-losses free of coin-core, as the module rules require.
 *
 * <pre>{@code
 * UNetSegmentor seg = SegmentorTrainer.builder(UNetSegmentor.builder().widths(8, 16, 32).build()).seed(7).build()
 *         .fit(loader, 5).segmentor();
 * Pipeline p = Presets.coin(clf).toBuilder()
 *         .loss(SegmentorGuidance.of(seg).weight(1.0))                       // loss/seg = mean |S(x) − S(x_cf)|
 *         .build();
 * SegmentorGuidance area = SegmentorGuidance.of(seg).form(SegmentorGuidance.Form.AREA).named("seg_area");
 * }</pre>
 */
public final class SegmentorGuidance extends AbstractLossTerm {
    /** Default term name ("seg"). */
    public static final String NAME = "seg";

    /** How the structure change is measured. */
    public enum Form {
        /** mean |S(x) − S(x_cf)| over every pixel (default). */
        MAP_L1,
        /** mean (S(x) − S(x_cf))² over every pixel. */
        MAP_L2,
        /** mean over samples of |Σ S(x) − Σ S(x_cf)| / (H·W). */
        AREA
    }

    private final Form form;
    private final SegmentorInputs inputs;

    private SegmentorGuidance(String name, double weight, Form form, SegmentorInputs inputs) {
        super(name, weight);
        this.form = Objects.requireNonNull(form, "form");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
    }

    /** The term (name {@value #NAME}, λ = 1, {@link Form#MAP_L1}) with fresh {@link SegmentorInputs} of {@code network}. */
    public static SegmentorGuidance of(SegmentorNetwork network) {
        return of(SegmentorInputs.of(Objects.requireNonNull(network, "network")));
    }

    /** The term over given inputs: share {@code inputs} with your own terms so the maps are computed once. */
    public static SegmentorGuidance of(SegmentorInputs inputs) {
        return new SegmentorGuidance(NAME, 1.0, Form.MAP_L1, Objects.requireNonNull(inputs, "inputs"));
    }

    /**
     * This term with weight λ.
     *
     * @throws IllegalArgumentException for a negative, NaN or infinite λ, naming the term and the value
     */
    @Override
    public SegmentorGuidance weight(double lambda) {
        return new SegmentorGuidance(name(), lambda, form, inputs);
    }

    /** This term with another {@link Form}. */
    public SegmentorGuidance form(Form newForm) {
        return new SegmentorGuidance(name(), weight(), Objects.requireNonNull(newForm, "form"), inputs);
    }

    /** This term under another name (two forms in one set need two names). */
    public SegmentorGuidance named(String newName) {
        return new SegmentorGuidance(newName, weight(), form, inputs);
    }

    /** The form. */
    public Form form() {
        return form;
    }

    /** The inputs S(x), S(x_cf) it reads; list them in your own term to read the same maps. */
    public SegmentorInputs inputs() {
        return inputs;
    }

    @Override
    public Player player() {
        return Player.GENERATOR;
    }

    @Override
    public Set<LossInput> requires() {
        return LossInput.setOf(inputs.onX(), inputs.onCounterfactual());
    }

    @Override
    public SDVariable build(LossContext c) {
        SameDiff sd = c.sd();
        SDVariable d = c.get(inputs.onX()).sub(c.get(inputs.onCounterfactual()));
        return switch (form) {
            case MAP_L1 -> sd.mean(sd.math.abs(d));
            case MAP_L2 -> sd.mean(sd.math.square(d));
            // per sample: mean over (C=1, H, W) is Σ_hw / (H·W); then |·| and the batch mean
            case AREA -> sd.mean(sd.math.abs(sd.mean(d, 1, 2, 3)));
        };
    }

    @Override
    public String toString() {
        return "SegmentorGuidance[" + name() + ", " + form + ", " + lambda() + ", " + inputs + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentorGuidance t && t.name().equals(name()) && t.weight() == weight()
                && t.form == form && t.inputs == inputs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name(), weight(), form, System.identityHashCode(inputs));
    }
}
