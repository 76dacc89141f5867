package dev.coin.data.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the fast oneDNN build of ND4J's CPU natives before ND4J loads.
 *
 * <p>{@code nd4j-native} ships a plain {@code linux-x86_64} build (no oneDNN, 7–40× slower convolutions) next to the
 * {@code linux-x86_64-onednn-avx2} build an application adds (README, "Choosing a backend"), and JavaCPP loads the
 * plain one unless the system property {@value #EXTENSION_PROPERTY} names the extension. {@link #configure()} sets
 * it to {@code -onednn-avx2} on CPUs with AVX2 and to {@code -onednn} otherwise; a value the user set (e.g. on the
 * command line) is kept.
 * Every library entry point calls it; call it yourself first if your own code touches {@code Nd4j} before the
 * library does. The CUDA backend is left alone. It also installs {@link Nd4jOutput}, which drops ND4J's
 * {@code Added differentiated op …} lines from {@code System.out} ({@code -Dcoin.nd4j.verbose=true} keeps them).
 *
 * <p>The library compiles against {@code nd4j-api} only; the backend (nd4j-native or nd4j-cuda) is the
 * application's choice, so native classes are looked up by name here, never linked.
 */
public final class NativeBackend {
    /** The JavaCPP system property that selects a native build variant. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    static final String NATIVE_OPS_HOLDER = "org.nd4j.nativeblas.NativeOpsHolder";

    private static final Logger LOG = LoggerFactory.getLogger(NativeBackend.class);
    private static volatile boolean configured;

    private NativeBackend() {
    }

    /** Idempotent; cheap after the first call. Returns the extension in effect (empty for CUDA / non-Linux). */
    public static synchronized String configure() {
        String current = System.getProperty(EXTENSION_PROPERTY);
        if (!configured) {
            // Once only: a System.out the user sets later is theirs (Nd4jOutput.quiet(true) wraps it on request).
            Nd4jOutput.install();
        }
        if (configured || current != null) {
            configured = true;
            return current == null ? "" : current;
        }
        configured = true;
        if (isCudaOnClassPath() || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "";
        }
        String ext = cpuHasAvx2() ? "-onednn-avx2" : "-onednn";
        System.setProperty(EXTENSION_PROPERTY, ext);
        LOG.debug("Selected ND4J native build extension {}", ext);
        return ext;
    }

    static boolean isCudaOnClassPath() {
        return isOnClassPath("org.nd4j.linalg.jcublas.JCublasBackend");
    }

    static boolean isOnClassPath(String className) {
        try {
            Class.forName(className, false, NativeBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean cpuHasAvx2() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return (" " + line + " ").contains(" avx2 ");
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read /proc/cpuinfo ({}); assuming no AVX2", e.toString());
        }
        return false;
    }

    /**
     * Loads ND4J (after {@link #configure()}) and reports what actually loaded: backend, the native library path
     * and the binary optimisation level. Use it in logs, provenance and the backend test.
     */
    public static BackendInfo describe() {
        configure();
        org.nd4j.linalg.factory.Nd4j.scalar(0f); // forces backend initialisation
        Map<String, String> libs = org.bytedeco.javacpp.Loader.getLoadedLibraries();
        String lib = libs.entrySet().stream()
                .filter(e -> e.getKey().startsWith("nd4jcpu") || e.getKey().startsWith("nd4jcuda"))
                .map(Map.Entry::getValue).findFirst().orElse("");
        var env = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(env.getOrDefault("backend", "unknown"));
        return new BackendInfo(backend, System.getProperty(EXTENSION_PROPERTY, ""), lib, binaryLevel());
    }

    /**
     * libnd4j's binary level via {@code NativeOpsHolder.getInstance().getDeviceNativeOps().binaryLevel()}, called
     * reflectively: {@code NativeOpsHolder} lives in nd4j-native-api, which comes with the backend, not with
     * nd4j-api. -1 when no backend provides it.
     */
    static int binaryLevel() {
        try {
            Class<?> holder = Class.forName(NATIVE_OPS_HOLDER, true, NativeBackend.class.getClassLoader());
            Object instance = holder.getMethod("getInstance").invoke(null);
            var getOps = holder.getMethod("getDeviceNativeOps");
            Object ops = getOps.invoke(instance);
            // Through the declared interface (NativeOps), not the generated implementation class.
            return ((Number) getOps.getReturnType().getMethod("binaryLevel").invoke(ops)).intValue();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("binaryLevel() unavailable: {}", e.toString());
            return -1;
        }
    }

    /**
     * What loaded.
     *
     * @param backend     ND4J's backend name ("CPU" or "CUDA")
     * @param extension   the JavaCPP platform extension in effect ("" when none)
     * @param nativeLibrary path of the loaded libnd4j library
     * @param binaryLevel libnd4j's binary optimisation level: 0 generic x86, 1 AVX2, 2 AVX2 (oneDNN builds report
     *                    their AVX/AVX2 level here), 3 AVX-512; -1 when unknown
     */
    public record BackendInfo(String backend, String extension, String nativeLibrary, int binaryLevel) {
        /** True when the oneDNN build of the CPU natives is the one in use. */
        public boolean oneDnn() {
            return nativeLibrary.contains("onednn");
        }

        @Override
        public String toString() {
            return "ND4J " + backend + " (build " + (extension.isEmpty() ? "default" : extension) + ", binary level "
                    + binaryLevel + ", " + nativeLibrary + ")";
        }
    }
}
