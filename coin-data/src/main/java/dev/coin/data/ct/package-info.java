/**
 * CT intensity normalisation: the percentile window ({@link dev.coin.data.ct.CtWindow}) and the dataset
 * fingerprint that supplies it ({@link dev.coin.data.ct.Fingerprint}, computed by
 * {@link dev.coin.data.ct.FingerprintExtractor}; JSON compatible with the reference and nnU-Net).
 *
 * <pre>{@code
 * Fingerprint fp = FingerprintExtractor.builder().foregroundLabels(2).build().compute(trainAndTestScans);
 * fp.write(Path.of("dataset_fingerprint_fg_tumor.json"));
 * CtWindow w = fp.toWindow();       // clip to [p0.5, p99.5], map to [-1, 1]
 * }</pre>
 */
package dev.coin.data.ct;
