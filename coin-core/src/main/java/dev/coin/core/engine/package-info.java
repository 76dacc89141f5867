/**
 * How SameDiff graphs are executed for training: {@link dev.coin.core.engine.TrainingStepper} keeps one session
 * per graph for the whole run and replaces the ND4J 1.0.0-M2.1 kernels that are slow on the CPU with exact
 * formulations. The trainers use it; a script that builds its own graph can too.
 */
package dev.coin.core.engine;
