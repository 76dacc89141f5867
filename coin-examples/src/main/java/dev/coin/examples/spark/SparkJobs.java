package dev.coin.examples.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark contexts for the jobs: local mode (the embedded default) with the settings a small machine wants. */
public final class SparkJobs {
    private SparkJobs() {
    }

    /**
     * A local-mode context with {@code threads} task slots ({@code local[threads]}): no UI, few shuffle partitions,
     * and Spark's own logging left to the application's slf4j binding.
     */
    public static JavaSparkContext localContext(String appName, int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0, got " + threads);
        }
        SparkConf conf = new SparkConf().setAppName(appName).setMaster("local[" + threads + "]")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", String.valueOf(threads));
        return new JavaSparkContext(conf);
    }

    /** A context for {@code spark-submit}: master, executors and memory come from the submit line. */
    public static JavaSparkContext submittedContext(String appName) {
        return new JavaSparkContext(new SparkConf().setAppName(appName));
    }
}
