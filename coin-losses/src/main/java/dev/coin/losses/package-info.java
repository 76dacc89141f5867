/**
 * Every loss term of COIN and its relatives as a pluggable strategy over SameDiff variables. Knows no networks and
 * no data: a pipeline builds the tensors the terms {@linkplain dev.coin.losses.LossTerm#requires() require}
 * ({@link dev.coin.losses.LossInput} keys) and hands them over in {@link dev.coin.losses.LossInputs}.
 *
 * <pre>{@code
 * LossSet coin = LossSet.of(
 *         Adversarial.bce(),                          // G: mean softplus(−D(x_cf)); its D half comes as a companion
 *         ClassifierKl.weight(1.0),                   // KL(target ‖ p(x_cf)), clamped to [1e-5, 1 − 1e-5]
 *         Reconstruction.cyclicL1().weight(1.0),      // L1(x, x_cf) + L1(x, x_cc)
 *         TotalVariation.weight(5e-5));               // TV of 255·|x − x_cf|/2
 * Set<LossInput> needed = coin.builtInInputs(Player.GENERATOR);  // X, X_CF, X_CYCLIC, D_FAKE_LOGITS, …
 * BuiltLoss g = coin.build(sdG, Player.GENERATOR, inputs);      // loss/adv, loss/adv/raw, …, loss/generator
 * sdG.setLossVariables(g.totalName());
 * }</pre>
 *
 * <p>Pluggable: a term of your own only computes its unweighted scalar L from
 * {@link dev.coin.losses.LossContext#get}; the {@link dev.coin.losses.LossSet} names it ({@code loss/<name>/raw},
 * {@code loss/<name>}), weights it (any term can be {@linkplain dev.coin.losses.LossTerm#weight(double)
 * re-weighted}), sums it and logs it like the built-in ones. A term can ask for inputs the library did not
 * anticipate: {@linkplain dev.coin.losses.LossInput#derived derived} in the graph from other inputs, or
 * {@linkplain dev.coin.losses.LossInput#fed fed} from host arrays every step; and bring
 * {@linkplain dev.coin.losses.LossTerm#companions() companion} terms (e.g. its discriminator half).
 *
 * <pre>{@code
 * record BrightnessShift(String name) implements LossTerm {    // (mean(x_cf) − mean(x))²
 *     public Player player() { return Player.GENERATOR; }
 *     public Set<LossInput> requires() { return Set.of(LossInput.X, LossInput.X_CF); }
 *     public SDVariable build(LossContext c) {
 *         return c.sd().math.square(c.sd().mean(c.get(LossInput.X_CF)).sub(c.sd().mean(c.get(LossInput.X))));
 *     }
 * }
 * LossSet mine = LossSet.of(Adversarial.bce(), new BrightnessShift("bright").weight(0.5));
 * }</pre>
 *
 * <p>Terms over a frozen network the library does not know: {@link dev.coin.losses.SegmentorGuidance} (Seg-CFT
 * style: the change of a segmentor's organ map between x and x_cf) reads the derived inputs of
 * {@link dev.coin.losses.SegmentorInputs} ({@code seg_x}, {@code seg_xcf}), which a user's term can list too; the
 * network comes in through the small {@link dev.coin.losses.SegmentorNetwork} interface (coin-core's
 * {@code UNetSegmentor} implements it).
 *
 * <p>Every built-in term is written from primitives whose gradients were checked on SameDiff 1.0.0-M2.1 (no
 * {@code sd.loss.*}, which drop loss weights from the gradient; no division by graph scalars). Host-side target
 * rules for the KL term live in {@link dev.coin.losses.TargetRule}.
 */
package dev.coin.losses;
