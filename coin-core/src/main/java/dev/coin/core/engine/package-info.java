/**
 * How SameDiff graphs are executed for training, and why (ND4J 1.0.0-M2.1, CPU).
 *
 * <p>{@link dev.coin.core.engine.TrainingStepper} runs the training steps of one graph for a whole run; the
 * trainers use it for the generator, the discriminator and the classifier, and a script that builds its own graph
 * can too. Three things make a stock {@code SameDiff.fit(batch)} step 3–11× slower than PyTorch here, and each has
 * its answer in this package:
 *
 * <ol>
 *   <li><b>Slow kernels</b> ({@code ExactKernels}): a broadcast {@code multiply_bp} expands its small operand with a
 *       single-threaded per-element {@code tile} (the γ/β and normalisation multiplies of every batch norm built
 *       from primitives: 31–52 % of a generator step); {@code add_bp}/{@code subtract_bp} with a broadcast operand,
 *       same-shape {@code multiply_bp} (temporaries copied into the outputs) and {@code thresholdedrelu_bp} (4×
 *       {@code relu_bp}) follow. They are replaced at execution time by the same arithmetic in fast ops. (An op
 *       subclass with its own {@code doDiff} cannot do it: SameDiff rebuilds the ops by name when it creates the
 *       gradient function.)</li>
 *   <li><b>A new session per {@code fit}</b>: every activation and gradient allocated and zero-filled again, every
 *       op context rebuilt. The stepper keeps its session.</li>
 *   <li><b>Per-op bookkeeping</b> in the session (dependency tracking, shape inference, allocation and release of
 *       every output): about 60 % of a base-16 generator step once the kernels are fixed. The first step of each
 *       batch shape is recorded ({@code StepRecorder}); later steps replay it ({@code ReplayPlan}): the op list in
 *       the session's order, one prepared op context per op, every intermediate in a buffer shared by liveness,
 *       reshapes as views, the optimiser applied as SameDiff applies it. Time between ops falls from ~5 s to
 *       ~25 ms per step.</li>
 *   <li><b>Memory of the recorded step.</b> SameDiff's session keeps alive what the plan does not (forward values
 *       that backward ops read only the shapes of, released arrays until the garbage collector runs), so a recorded
 *       full-size step peaks far above its replays. For batches of four or more the step is therefore recorded at
 *       batch 2 and 3 with nothing updated, its shapes extrapolated to the real batch and checked against every
 *       kernel's shape function; the first full-size step is already a replay. (Batch 1 is not used: a legacy
 *       reduction over a batch axis of length 1 takes a no-op path in M2.1 that fails inside SameDiff's
 *       session.)</li>
 * </ol>
 *
 * <p>Every SameDiff session also caches released arrays up to a quarter of JavaCPP's {@code maxbytes};
 * {@link dev.coin.core.engine.SessionMemory} bounds that cache for the sessions the library uses.
 *
 * <p>Exactness: {@code TrainingStepperTest} and {@code EngineEquivalenceTest} train the same networks under
 * {@code fit}, the persistent session and the replay, and find the same losses and weights to 1e-5 relative.
 * {@code -Dcoin.engine=fit|session|fast} selects the engine (default {@code fast}) for diagnosis.
 */
package dev.coin.core.engine;
