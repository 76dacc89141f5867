package dev.coin.core.engine;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;

/**
 * Bounds the array cache of SameDiff's execution sessions.
 *
 * <p>Every SameDiff session (one per graph and thread for {@code sd.output}, one per training session) keeps the
 * arrays it releases in a cache for reuse, up to a quarter of JavaCPP's {@code maxbytes} by default: with the
 * 14–16 GB off-heap limits this project runs under, each of the trainer's graphs (generator, discriminator,
 * classifier, generator forward) may hold 3.5–4 GB of idle arrays, which is most of the resident size of a COIN run.
 * Here each session's cache is bounded to {@value #CACHE_MIB} MiB (arrays beyond it are freed when released, as
 * ND4J itself does once a cache is full); reuse of the hot arrays is kept.
 */
public final class SessionMemory {
    /** Cache bound per session. */
    public static final long CACHE_MIB = 256;

    private SessionMemory() {
    }

    /** A memory manager with the bounded cache. */
    public static SessionMemMgr boundedManager() {
        long max = Math.max(Pointer.maxBytes(), 1L << 30);
        return new Bounded(Math.min(0.25, CACHE_MIB * 1048576.0 / max));
    }

    /**
     * Makes the calling thread's inference session of {@code sd} (the one {@code sd.output} uses) one with a
     * bounded cache; idempotent and cheap, so call it before every {@code sd.output}.
     */
    public static void bound(SameDiff sd) {
        long thread = Thread.currentThread().getId();
        InferenceSession s = sd.getSessions().get(thread);
        if (s == null) {
            s = new InferenceSession(sd);
            sd.getSessions().put(thread, s);
        }
        if (!(s.getMmgr() instanceof Bounded)) {
            s.setMmgr(boundedManager());
        }
    }

    /** ND4J's cache manager with a bounded size (a class of its own, so a bounded session is recognised). */
    private static final class Bounded extends ArrayCacheMemoryMgr {
        Bounded(double fraction) {
            super(fraction, 1024, 2.0);
        }
    }
}
