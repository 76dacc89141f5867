package dev.coin.core.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flat buffers (each plan's arena per data type) lent to {@link ReplayPlan}s that never run at the same time: the plans of one graph (the full batch
 * and a smaller last batch) and, when their steppers share a pool, the generator's and the discriminator's plans of
 * one trainer. Within a plan every buffer is lent once; across plans the same buffer is lent again, so the pool holds
 * about the largest plan's intermediates instead of their sum. Everything a plan keeps in these buffers is scratch
 * for the duration of its step (weights and optimiser state are SameDiff's own arrays; listeners copy what they
 * keep), which is what makes the sharing safe.
 *
 * <p>Not thread-safe, as the steppers that use it.
 */
final class BufferPool {
    private static final class Buffer {
        final DataType type;
        final long length;
        final INDArray array;
        final Set<Object> users = new HashSet<>();

        Buffer(DataType type, long length) {
            this.type = type;
            this.length = length;
            this.array = Nd4j.createUninitialized(type, length);
        }
    }

    private final List<Buffer> buffers = new ArrayList<>();

    /**
     * A buffer of at least {@code length} elements of {@code type} that {@code user} does not hold yet: the smallest
     * such buffer in the pool, or a new one. Ask for the largest first, so that small requests do not take the
     * buffers large ones need.
     */
    INDArray acquire(Object user, DataType type, long length) {
        Buffer best = smallestFree(user, type, length);
        if (best == null) {
            best = new Buffer(type, length);
            buffers.add(best);
        }
        best.users.add(user);
        return best.array;
    }

    /**
     * True when every arena in {@code lengths} can be lent from buffers the pool already holds (so lending them adds
     * nothing to the process's memory).
     */
    boolean canLend(Object user, Map<DataType, Long> lengths) {
        for (Map.Entry<DataType, Long> l : lengths.entrySet()) {
            if (smallestFree(user, l.getKey(), l.getValue()) == null) {
                return false;
            }
        }
        return true;
    }

    /** The smallest buffer of at least {@code length} elements of {@code type} that {@code user} does not hold. */
    private Buffer smallestFree(Object user, DataType type, long length) {
        Buffer best = null;
        for (Buffer b : buffers) {
            if (b.type == type && b.length >= length && !b.users.contains(user)
                    && (best == null || b.length < best.length)) {
                best = b;
            }
        }
        return best;
    }

    /** Gives back everything {@code user} holds; buffers nobody holds any more are freed. */
    void release(Object user) {
        for (Iterator<Buffer> it = buffers.iterator(); it.hasNext();) {
            Buffer b = it.next();
            if (b.users.remove(user) && b.users.isEmpty()) {
                if (b.array.closeable()) {
                    b.array.close();
                }
                it.remove();
            }
        }
    }

    /** Bytes the pool holds. */
    long bytes() {
        long n = 0;
        for (Buffer b : buffers) {
            n += b.length * b.type.width();
        }
        return n;
    }
}
