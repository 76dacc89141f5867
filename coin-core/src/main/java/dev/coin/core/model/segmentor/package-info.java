/**
 * A small frozen-able segmentation network for segmentor-guided losses: {@link
 * dev.coin.core.model.segmentor.UNetSegmentor} (a U-Net of the library's verified blocks, parameters named
 * {@code seg.…}), which implements coin-losses' {@link dev.coin.losses.SegmentorNetwork} so that it plugs straight
 * into {@link dev.coin.losses.SegmentorGuidance}. {@code dev.coin.core.train.SegmentorTrainer} trains one.
 *
 * <pre>{@code
 * UNetSegmentor.Spec spec = UNetSegmentor.builder().widths(8, 16, 32).build();   // 2 levels, inputs divisible by 4
 * UNetSegmentor seg = spec.create(7L);
 * INDArray p = seg.probabilities(x);                                                // [B,1,H,W] kidney probability
 * seg.save(Path.of("runs/seg"));  UNetSegmentor again = UNetSegmentor.load(Path.of("runs/seg"));
 * }</pre>
 */
package dev.coin.core.model.segmentor;
