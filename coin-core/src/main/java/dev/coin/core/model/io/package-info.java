/**
 * Network spec files: {@link dev.coin.core.model.io.SpecJson} (generator and discriminator specs as JSON) and
 * {@link dev.coin.core.model.io.NetworkFile} (spec + weights in one folder).
 */
package dev.coin.core.model.io;
