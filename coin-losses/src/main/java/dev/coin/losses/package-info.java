/**
 * Every loss term of COIN and its relatives as a pluggable strategy over SameDiff variables. Knows no networks and
 * no data: a pipeline builds the tensors the terms {@linkplain dev.coin.losses.LossTerm#requires() require}
 * ({@link dev.coin.losses.LossInput}) and hands them over in {@link dev.coin.losses.LossInputs}.
 *
 * <pre>{@code
 * LossSet coin = LossSet.of(
 *         Adversarial.bce(),                          // G: mean softplus(−D(x_cf)); D half added automatically
 *         ClassifierKl.weight(1.0),                   // KL(target ‖ p(x_cf)), clamped to [1e-5, 1 − 1e-5]
 *         Reconstruction.cyclicL1().weight(1.0),      // L1(x, x_cf) + L1(x, x_cc)
 *         TotalVariation.weight(5e-5));               // TV of 255·|x − x_cf|/2
 * Set<LossInput> needed = coin.requires(Player.GENERATOR);  // X, X_CF, X_CYCLIC, D_FAKE_LOGITS, …
 * BuiltLoss g = coin.build(sdG, Player.GENERATOR, inputs);
 * sdG.setLossVariables(g.totalName());
 * }</pre>
 *
 * <p>Every term is written from primitives whose gradients were checked on SameDiff 1.0.0-M2.1 (no {@code sd.loss.*},
 * which drop loss weights from the gradient; no division by graph scalars). Host-side target rules for the KL term
 * live in {@link dev.coin.losses.TargetRule}.
 */
package dev.coin.losses;
