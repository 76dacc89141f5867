/**
 * Pictures, tables and the page for people: {@link dev.coin.core.report.SummaryTable} (CSV and Markdown),
 * {@link dev.coin.core.report.BoxPlot} (per-image IoU) and {@link dev.coin.core.report.LineChart} (per-epoch curves),
 * both through JFreeChart, {@link dev.coin.core.report.SlicePanel} (a labelled figure of one slice: input and
 * counterfactual with p(abnormal), the map with a colour bar and the threshold, the mask over the input with a colour
 * legend and the IoU), the older unlabelled {@link dev.coin.core.report.CounterfactualPanel}, and
 * {@link dev.coin.core.report.HtmlReport}, which puts them on one offline {@code index.html}. This package knows no
 * training or evaluation types: callers pass numbers, names and images in.
 */
package dev.coin.core.report;
