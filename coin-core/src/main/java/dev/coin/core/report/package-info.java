/**
 * Pictures and tables for people: {@link dev.coin.core.report.SummaryTable} (CSV and Markdown),
 * {@link dev.coin.core.report.BoxPlot} (per-image IoU) and {@link dev.coin.core.report.CounterfactualPanel} (input,
 * counterfactual, difference, mask and truth side by side).
 */
package dev.coin.core.report;
