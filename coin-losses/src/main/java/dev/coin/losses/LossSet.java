package dev.coin.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss terms of a pipeline, split by player, and the one place that names, weights and sums them. Immutable.
 *
 * <ul>
 *   <li>Each term's {@linkplain LossTerm#companions() companions} are added after it (an {@link Adversarial} term
 *       brings its discriminator half).</li>
 *   <li>Terms with weight 0 are <em>inactive</em>: they are not built and their inputs are not required (so, as in
 *       the reference, λ_rec = 0 skips the cyclic generator pass). They still show in {@link #toString()}.</li>
 *   <li>Names must be unique (one "rec", one "minc", …) and letters, digits or '_'; weights finite and ≥ 0; two
 *       different custom inputs may not share a name.</li>
 * </ul>
 *
 * <p>Graph names: {@link #rawName} {@code loss/<term>/raw} = L, {@link #weightedName} {@code loss/<term>} = λ·L
 * (λ a Java constant: exact gradient, unlike a graph scalar divisor in SameDiff 1.0.0-M2.1), {@link #componentName}
 * {@code loss/<term>/<component>}, {@link #totalName} {@code loss/generator} / {@code loss/discriminator},
 * {@link #inputName} {@code input/<name>} for derived and fed inputs. Names are attached with {@code mul(1.0)}
 * rather than identity ops, so they stay ordinary ops on the gradient path.
 *
 * <p>A trainer, per player: (a) builds the built-in inputs {@link #builtInInputs(Player)}, (b) creates a placeholder
 * for each {@link #fedInputs(Player)} key and feeds it every step, (c) calls {@link #build}, which computes the
 * derived inputs:
 * <pre>{@code
 * LossSet losses = LossSet.of(Adversarial.bce(), ClassifierKl.weight(1.0),
 *         Reconstruction.cyclicL1().weight(1.0), TotalVariation.weight(5e-5));
 * if (losses.requires(Player.GENERATOR, LossInput.X_CYCLIC)) { ... build the second generator pass ... }
 * LossInputs.Builder in = LossInputs.builder().put(LossInput.X, x).put(LossInput.X_CF, xCf);   // ...
 * for (LossInput f : losses.fedInputs(Player.GENERATOR)) {
 *     in.put(f, sdG.placeHolder(LossSet.inputName(f), f.dataType(), f.shape()));
 * }
 * BuiltLoss g = losses.build(sdG, Player.GENERATOR, in.build());
 * sdG.setLossVariables(g.totalName());
 * // every step: feeds.put(LossSet.inputName(f), f.computeFeed(LossInput.StepArrays.of(hostArrays)));
 * }</pre>
 */
public final class LossSet {
    private static final String NAME_PATTERN = "[A-Za-z0-9_]+";

    private final List<LossTerm> given;
    private final Map<Player, List<LossTerm>> byPlayer;

    private LossSet(List<LossTerm> given) {
        this.given = List.copyOf(given);
        Map<Player, List<LossTerm>> m = new EnumMap<>(Player.class);
        for (Player p : Player.values()) {
            m.put(p, new ArrayList<>());
        }
        Map<String, LossTerm> seen = new LinkedHashMap<>();
        Map<String, LossTerm> broughtBy = new LinkedHashMap<>();
        Map<String, KeyUse> keys = new LinkedHashMap<>();
        for (LossTerm t : this.given) {
            add(m, seen, broughtBy, keys, t, null);
        }
        m.replaceAll((p, l) -> List.copyOf(l));
        this.byPlayer = m;
    }

    /** A custom key and the term that first required it, for clash messages. */
    private record KeyUse(LossInput key, String term) {
    }

    private static void add(Map<Player, List<LossTerm>> m, Map<String, LossTerm> seen, Map<String, LossTerm> broughtBy,
            Map<String, KeyUse> keys, LossTerm t, LossTerm parent) {
        validate(t);
        LossTerm before = seen.putIfAbsent(t.name(), t);
        if (before != null) {
            throw new IllegalArgumentException("Two loss terms are named '" + t.name() + "': " + origin(before,
                    broughtBy.get(t.name())) + " and " + origin(t, parent) + "; keep one of them (a term's "
                    + "companion may already bring it, e.g. an Adversarial term brings its discriminator half)");
        }
        if (parent != null) {
            broughtBy.put(t.name(), parent);
        }
        m.get(t.player()).add(t);
        for (LossInput k : everyKey(t.requires())) {
            register(keys, k, t.name());
        }
        List<LossTerm> companions = Objects.requireNonNull(t.companions(), () -> "companions() of " + t);
        for (int i = 0; i < companions.size(); i++) {
            LossTerm c = companions.get(i);
            if (c == null) {
                throw new IllegalArgumentException("Companion #" + i + " of loss term '" + t.name() + "' (" + t
                        + ") is null; companions() must list terms");
            }
            add(m, seen, broughtBy, keys, c, t);
        }
    }

    private static String origin(LossTerm t, LossTerm parent) {
        return parent == null ? String.valueOf(t) : t + " (companion of " + parent + ")";
    }

    private static void register(Map<String, KeyUse> keys, LossInput k, String term) {
        KeyUse before = keys.putIfAbsent(k.name(), new KeyUse(k, term));
        if (before != null && !before.key().sameDefinition(k)) {
            throw new IllegalArgumentException("Two different loss inputs are named '" + k.name() + "': "
                    + before.key().describe() + " (required by term '" + before.term() + "') and " + k.describe()
                    + " (required by term '" + term + "'); give them distinct names, or declare the input once as a "
                    + "constant and share it between the terms");
        }
    }

    /**
     * Checks what a {@link LossSet} relies on: a valid name, a player, a valid weight, non-null inputs.
     *
     * @throws IllegalArgumentException naming the term and what to fix
     */
    private static void validate(LossTerm t) {
        String name = t.name();
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("Loss term name must be non-empty letters, digits or '_' (it becomes "
                    + "the graph variables loss/<name> and loss/<name>/raw), got " + (name == null ? "null"
                            : "'" + name + "'") + " from " + t + "; rename the term");
        }
        if (t.player() == null) {
            throw new IllegalArgumentException("Loss term '" + name + "' (" + t + ") has no player; return "
                    + "Player.GENERATOR or Player.DISCRIMINATOR");
        }
        AbstractLossTerm.checkWeight(name, t.weight());
        Set<LossInput> req = t.requires();
        if (req == null || req.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("Loss term '" + name + "' (" + t + ") returns " + req
                    + " from requires(); return a set of LossInput keys (empty when it reads nothing)");
        }
        Map<String, KeyUse> own = new LinkedHashMap<>();
        for (LossInput k : everyKey(req)) {
            register(own, k, name);
        }
    }

    /** A set of the given terms (order kept). */
    public static LossSet of(LossTerm... terms) {
        Objects.requireNonNull(terms, "terms");
        return of(Arrays.asList(terms));
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

    /** The terms as given (without the companions they bring). */
    public List<LossTerm> terms() {
        return given;
    }

    /** All terms of {@code player}, active or not, companions included. */
    public List<LossTerm> terms(Player player) {
        return byPlayer.get(Objects.requireNonNull(player, "player"));
    }

    /** The terms of {@code player} with a non-zero weight: the ones {@link #build} adds. */
    public List<LossTerm> active(Player player) {
        return terms(player).stream().filter(t -> t.weight() != 0).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Every input the active terms of {@code player} need, transitively: derived keys and what they derive from,
     * fed keys. Built-ins first (declaration order), then custom keys, each after its sources.
     */
    public Set<LossInput> requires(Player player) {
        Set<LossInput> all = new LinkedHashSet<>();
        for (LossTerm t : active(player)) {
            all.addAll(t.requires());
        }
        Set<LossInput> s = new LinkedHashSet<>();
        closure(all).stream().filter(LossInput::isBuiltIn)
                .sorted(java.util.Comparator.comparingInt(LossInput::ordinal)).forEach(s::add);
        s.addAll(closure(all));
        return Collections.unmodifiableSet(s);
    }

    /** True when an active term of {@code player} needs {@code input} (directly or to derive another input). */
    public boolean requires(Player player, LossInput input) {
        return requires(player).contains(input);
    }

    /** The built-in inputs the trainer must build for {@code player}'s active terms (declaration order). */
    public Set<LossInput> builtInInputs(Player player) {
        return filter(player, LossInput.Kind.BUILT_IN);
    }

    /** The fed inputs of {@code player}'s active terms: create a placeholder {@link #inputName} for each. */
    public List<LossInput> fedInputs(Player player) {
        return List.copyOf(filter(player, LossInput.Kind.FED));
    }

    /** The derived inputs {@link #build} computes for {@code player} (unless provided), sources first. */
    public List<LossInput> derivedInputs(Player player) {
        return List.copyOf(filter(player, LossInput.Kind.DERIVED));
    }

    private Set<LossInput> filter(Player player, LossInput.Kind kind) {
        return requires(player).stream().filter(k -> k.kind() == kind)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Every key object reachable from {@code keys} through {@code from}, deduplicated by identity rather than by
     * equality: two different definitions under one name compare equal, and the clash check must see both.
     */
    private static List<LossInput> everyKey(Set<LossInput> keys) {
        Map<LossInput, Boolean> seen = new java.util.IdentityHashMap<>();
        java.util.ArrayDeque<LossInput> todo = new java.util.ArrayDeque<>(keys);
        List<LossInput> out = new ArrayList<>();
        while (!todo.isEmpty()) {
            LossInput k = todo.poll();
            if (seen.put(k, Boolean.TRUE) == null) {
                out.add(k);
                todo.addAll(k.from());
            }
        }
        return out;
    }

    /** Keys and, transitively, what derived keys derive from; sources before the keys derived from them. */
    private static Set<LossInput> closure(Set<LossInput> keys) {
        Set<LossInput> out = new LinkedHashSet<>();
        for (LossInput k : keys) {
            visit(k, out, new LinkedHashSet<>());
        }
        return out;
    }

    private static void visit(LossInput k, Set<LossInput> out, Set<LossInput> path) {
        if (out.contains(k)) {
            return;
        }
        if (!path.add(k)) {
            throw new IllegalArgumentException("Derived input '" + k + "' derives from itself via " + path);
        }
        for (LossInput f : k.from()) {
            visit(f, out, path);
        }
        path.remove(k);
        out.add(k);
    }

    // ---- names ---------------------------------------------------------------------------------------------------

    /** Variable name of a term's weighted value: {@code loss/<term>}. */
    public static String weightedName(String term) {
        return "loss/" + term;
    }

    /** {@link #weightedName(String)} of {@code term.name()}. */
    public static String weightedName(LossTerm term) {
        return weightedName(term.name());
    }

    /** Variable name of a term's unweighted value: {@code loss/<term>/raw}. */
    public static String rawName(String term) {
        return "loss/" + term + "/raw";
    }

    /** {@link #rawName(String)} of {@code term.name()}. */
    public static String rawName(LossTerm term) {
        return rawName(term.name());
    }

    /** Variable name of a logged component of a term: {@code loss/<term>/<component>}. */
    public static String componentName(String term, String component) {
        return "loss/" + term + "/" + component;
    }

    /** {@link #componentName(String, String)} of {@code term.name()}. */
    public static String componentName(LossTerm term, String component) {
        return componentName(term.name(), component);
    }

    /** The name of a player's total: {@code loss/generator} or {@code loss/discriminator}. */
    public static String totalName(Player player) {
        return "loss/" + player.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Graph name of a custom input: the variable of a derived input, the placeholder a trainer creates for a fed
     * one: {@code input/<name>}.
     */
    public static String inputName(LossInput input) {
        return "input/" + input.name();
    }

    // ---- building ------------------------------------------------------------------------------------------------

    /**
     * Builds the active terms of {@code player} into {@code sd} and sums them; derived inputs the terms need and
     * {@code inputs} lacks are computed first (once per graph: an existing {@code input/<name>} is reused).
     * Inputs, graphs and names are checked before the graph is touched; what terms and derivations do while they
     * build (undeclared reads, bad components) fails while building.
     *
     * @throws IllegalStateException when {@code player} has no active term, an input is missing (the message names
     *                               the term, the input and how to provide it) or the terms were already built
     * @throws IllegalArgumentException when an input belongs to another graph, or a term returns null or (where
     *                                  the shape is known at build time) no scalar
     */
    public BuiltLoss build(SameDiff sd, Player player, LossInputs inputs) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(player, "player");
        Objects.requireNonNull(inputs, "inputs");
        List<LossTerm> terms = active(player);
        if (terms.isEmpty()) {
            throw new IllegalStateException("No active " + player + " loss term in " + this
                    + "; add one with a non-zero weight");
        }
        if (sd.hasVariable(totalName(player))) {
            throw new IllegalStateException("The " + player + " loss was already built in this graph (variable '"
                    + totalName(player) + "' exists); build it once per graph and reuse its output");
        }
        Built b = buildTerms(sd, terms, inputs);
        List<SDVariable> weighted = b.terms.stream().map(BuiltTerm::weighted).toList();
        SDVariable total;
        if (weighted.size() == 1) {
            // 0 + λL rather than a rename: a pairwise add's backward pass reads λL, so fit still computes it.
            SDVariable w = weighted.get(0);
            DataType dt = w.dataType() != null && w.dataType().isFPType() ? w.dataType()
                    : Nd4j.defaultFloatingPointType();
            total = sd.constant(Nd4j.scalar(dt, 0.0)).add(totalName(player), w);
        } else {
            SDVariable sum = weighted.get(0);
            for (int i = 1; i < weighted.size(); i++) {
                sum = i == weighted.size() - 1 ? sum.add(totalName(player), weighted.get(i)) : sum.add(weighted.get(i));
            }
            total = sum;
        }
        return new BuiltLoss(player, total, b.terms, b.inputs);
    }

    /**
     * Builds one term outside a set (tests, single-term use): computes the derived inputs it needs, then names
     * its raw, weighted and component values as {@link #build} does. Builds even a term of weight 0.
     *
     * @throws IllegalArgumentException for an invalid term (name, weight, inputs) or an input of another graph
     * @throws IllegalStateException    when an input is missing or the term was already built in {@code sd}
     */
    public static BuiltTerm buildTerm(SameDiff sd, LossTerm term, LossInputs inputs) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(inputs, "inputs");
        validate(term);
        return buildTerms(sd, List.of(term), inputs).terms.get(0);
    }

    private record Built(List<BuiltTerm> terms, LossInputs inputs) {
    }

    private static Built buildTerms(SameDiff sd, List<LossTerm> terms, LossInputs inputs) {
        // 1. check everything before touching the graph
        Set<LossInput> needed = new LinkedHashSet<>();
        for (LossTerm t : terms) {
            checkResolvable(t, inputs);
            needed.addAll(t.requires());
        }
        for (LossTerm t : terms) {
            for (LossInput k : closure(t.requires())) {
                inputs.checkGraph(k, sd, "Loss term '" + t.name() + "'");
            }
            for (String n : List.of(weightedName(t), rawName(t))) {
                if (sd.hasVariable(n)) {
                    throw new IllegalStateException("Loss term '" + t.name() + "' was already built in this graph "
                            + "(variable '" + n + "' exists); build each term once per graph and reuse its output");
                }
            }
        }
        // 2. derived inputs, sources first
        LossInputs.Builder all = inputs.toBuilder();
        LossInputs available = inputs;
        for (LossInput k : toDerive(needed, inputs)) {
            String name = inputName(k);
            SDVariable v;
            if (sd.hasVariable(name)) {
                v = sd.getVariable(name);
            } else {
                String who = "Derived input '" + k + "'";
                SDVariable d = k.derivation().orElseThrow().derive(sd, available.restrictTo(k.from(), who));
                if (d == null || d.getSameDiff() != sd) {
                    throw new IllegalArgumentException(who + ": its derivation returned " + (d == null ? "null"
                            : "a variable of another SameDiff graph") + "; return a variable of the graph passed in");
                }
                v = rename(sd, d, name);
            }
            all.put(k, v);
            available = all.build();
        }
        // 3. the terms
        List<BuiltTerm> built = new ArrayList<>();
        for (LossTerm t : terms) {
            LossContext c = new LossContext(sd, t, Set.copyOf(t.requires()), available);
            SDVariable value = t.build(c);
            checkScalar(t, value, sd);
            SDVariable raw = value.mul(rawName(t), 1.0);
            SDVariable weighted = raw.mul(weightedName(t), t.weight());
            built.add(new BuiltTerm(t, raw, weighted, c.components()));
        }
        return new Built(built, available);
    }

    /** The derived keys to compute, sources first; a provided key is used as is (its sources are not needed). */
    private static List<LossInput> toDerive(Set<LossInput> needed, LossInputs inputs) {
        Set<LossInput> out = new LinkedHashSet<>();
        for (LossInput k : needed) {
            collectDerived(k, inputs, out);
        }
        return List.copyOf(out);
    }

    private static void collectDerived(LossInput k, LossInputs inputs, Set<LossInput> out) {
        if (inputs.has(k) || k.kind() != LossInput.Kind.DERIVED || out.contains(k)) {
            return;
        }
        for (LossInput f : k.from()) {
            collectDerived(f, inputs, out);
        }
        out.add(k);
    }

    /** Fails naming the term, each missing input and how to provide it. */
    private static void checkResolvable(LossTerm t, LossInputs inputs) {
        Set<LossInput> missing = new LinkedHashSet<>();
        List<String> hints = new ArrayList<>();
        for (LossInput k : t.requires()) {
            if (!resolvable(k, inputs, hints)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Loss term '" + t.name() + "' (" + t + ") needs input(s) " + missing
                    + " but the pipeline did not provide them; " + String.join("; ", new LinkedHashSet<>(hints))
                    + " (LossSet.requires(player) lists every input the active terms need)");
        }
    }

    private static boolean resolvable(LossInput k, LossInputs inputs, List<String> hints) {
        if (inputs.has(k)) {
            return true;
        }
        switch (k.kind()) {
            case BUILT_IN -> hints.add("build " + k + " and add it with LossInputs.builder().put(LossInput." + k
                    + ", variable)");
            case FED -> hints.add("fed input " + k + " is a placeholder the trainer creates: sd.placeHolder(\""
                    + inputName(k) + "\", " + k.dataType() + ", " + Arrays.toString(k.shape()) + "), put it under its"
                    + " key and feed key.computeFeed(step) every step (LossSet.fedInputs(player) lists them)");
            case DERIVED -> {
                boolean ok = true;
                for (LossInput f : k.from()) {
                    ok &= resolvable(f, inputs, hints);
                }
                if (ok) {
                    return true;
                }
                hints.add("derived input " + k + " is computed from " + k.from() + ": provide those");
            }
        }
        return false;
    }

    private static void checkScalar(LossTerm t, SDVariable v, SameDiff sd) {
        if (v == null || v.getSameDiff() != sd) {
            throw new IllegalArgumentException("Loss term '" + t.name() + "' (" + t + ") returned "
                    + (v == null ? "null" : "a variable of another SameDiff graph") + " from build(c); return its "
                    + "unweighted scalar, built in c.sd()");
        }
        long[] shape; // known for variables, constants and placeholders only: M2.1 infers no op output shapes
        try {
            shape = v.getShape();
        } catch (RuntimeException e) {
            return; // unknown until run time
        }
        if (shape != null && Arrays.stream(shape).anyMatch(d -> d > 1)) {
            throw new IllegalArgumentException("Loss term '" + t.name() + "' (" + t + ") returned shape "
                    + Arrays.toString(shape) + " from build(c); return a scalar, e.g. c.sd().mean(...)");
        }
    }

    /**
     * Gives {@code v} the graph name {@code name} with an op that stays on the gradient path ({@code mul(1.0)},
     * exact; identity ops are handled specially by M2.1's training session).
     */
    static SDVariable rename(SameDiff sd, SDVariable v, String name) {
        DataType dt = v.dataType();
        return dt != null && dt.isFPType() ? v.mul(name, 1.0) : sd.identity(name, v);
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
