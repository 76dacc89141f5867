package dev.coin.losses;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The loss terms of a pipeline, split by player. Immutable.
 *
 * <ul>
 *   <li>Each {@link Adversarial} term brings its {@linkplain Adversarial#discriminatorTerm() discriminator half}.</li>
 *   <li>Terms with weight 0 are <em>inactive</em>: they are not built and their inputs are not required (so, as in
 *       the reference, λ_rec = 0 skips the cyclic generator pass). They still show in {@link #toString()}.</li>
 *   <li>Names must be unique (one "rec", one "minc", …).</li>
 * </ul>
 *
 * <pre>{@code
 * LossSet losses = LossSet.of(Adversarial.bce(), ClassifierKl.weight(1.0),
 *         Reconstruction.cyclicL1().weight(1.0), TotalVariation.weight(5e-5));
 * if (losses.requires(Player.GENERATOR, LossInput.X_CYCLIC)) { ... build the second generator pass ... }
 * BuiltLoss g = losses.build(sdG, Player.GENERATOR, inputs);
 * sdG.setLossVariables(g.totalName());
 * }</pre>
 */
public final class LossSet {
    private final List<LossTerm> given;
    private final Map<Player, List<LossTerm>> byPlayer;

    private LossSet(List<LossTerm> given) {
        this.given = List.copyOf(given);
        Map<Player, List<LossTerm>> m = new HashMap<>();
        for (Player p : Player.values()) {
            m.put(p, new ArrayList<>());
        }
        Map<String, LossTerm> seen = new HashMap<>();
        for (LossTerm t : this.given) {
            add(m, seen, t);
            if (t instanceof Adversarial a) {
                add(m, seen, a.discriminatorTerm());
            }
        }
        m.replaceAll((p, l) -> List.copyOf(l));
        this.byPlayer = m;
    }

    private static void add(Map<Player, List<LossTerm>> m, Map<String, LossTerm> seen, LossTerm t) {
        LossTerm before = seen.putIfAbsent(t.name(), t);
        if (before != null) {
            throw new IllegalArgumentException("Two loss terms are named '" + t.name() + "': " + before + " and " + t
                    + "; keep one of them (an Adversarial term already brings its discriminator half)");
        }
        m.get(Objects.requireNonNull(t.player(), () -> "player of " + t)).add(t);
    }

    /** A set of the given terms (order kept). */
    public static LossSet of(LossTerm... terms) {
        Objects.requireNonNull(terms, "terms");
        return of(java.util.Arrays.asList(terms));
    }

    /** A set of the given terms (order kept). */
    public static LossSet of(List<? extends LossTerm> terms) {
        Objects.requireNonNull(terms, "terms");
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) == null) {
                throw new IllegalArgumentException("Loss term #" + i + " is null; remove it");
            }
        }
        return new LossSet(new ArrayList<>(terms));
    }

    /** The terms as given (without the automatically added discriminator halves). */
    public List<LossTerm> terms() {
        return given;
    }

    /** All terms of {@code player}, active or not, including discriminator halves of adversarial terms. */
    public List<LossTerm> terms(Player player) {
        return byPlayer.get(Objects.requireNonNull(player, "player"));
    }

    /** The terms of {@code player} with a non-zero weight: the ones {@link #build} adds. */
    public List<LossTerm> active(Player player) {
        return terms(player).stream().filter(t -> t.weight() != 0).collect(Collectors.toUnmodifiableList());
    }

    /** The inputs the active terms of {@code player} need. */
    public Set<LossInput> requires(Player player) {
        Set<LossInput> s = EnumSet.noneOf(LossInput.class);
        active(player).forEach(t -> s.addAll(t.requires()));
        return Collections.unmodifiableSet(s);
    }

    /** True when an active term of {@code player} needs {@code input}. */
    public boolean requires(Player player, LossInput input) {
        return requires(player).contains(input);
    }

    /** The name of a player's total: {@code loss/generator} or {@code loss/discriminator}. */
    public static String totalName(Player player) {
        return "loss/" + player.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Builds the active terms of {@code player} into {@code sd} and sums them.
     *
     * @throws IllegalStateException when {@code player} has no active term, or an input is missing (the message names
     *                               the term and the input)
     */
    public BuiltLoss build(SameDiff sd, Player player, LossInputs inputs) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(inputs, "inputs");
        List<LossTerm> terms = active(player);
        if (terms.isEmpty()) {
            throw new IllegalStateException("No active " + player + " loss term in " + this
                    + "; add one with a non-zero weight");
        }
        for (LossTerm t : terms) {
            inputs.checkFor(t, sd); // fail before touching the graph
        }
        Map<String, SDVariable> logged = new LinkedHashMap<>();
        SDVariable sum = null;
        for (LossTerm t : terms) {
            SDVariable v = t.build(sd, inputs);
            sum = sum == null ? v : sum.add(v);
            for (String n : t.loggedVariables()) {
                SDVariable lv = sd.getVariable(n);
                if (lv == null) {
                    throw new IllegalStateException("Loss term '" + t.name() + "' lists logged variable '" + n
                            + "' but did not create it");
                }
                logged.put(n, lv);
            }
        }
        SDVariable total = sd.identity(totalName(player), sum);
        logged.put(total.name(), total);
        return new BuiltLoss(player, total, logged);
    }

    @Override
    public String toString() {
        return given.stream().map(String::valueOf).collect(Collectors.joining(", ", "LossSet[", "]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossSet s && s.given.equals(given);
    }

    @Override
    public int hashCode() {
        return given.hashCode();
    }
}
