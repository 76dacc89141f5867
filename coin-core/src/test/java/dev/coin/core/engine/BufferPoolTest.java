package dev.coin.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class BufferPoolTest {
    @Test
    void plansThatNeverRunTogetherShareBuffersButOnePlanNeverGetsTheSameBufferTwice() {
        BufferPool pool = new BufferPool();
        Object generator = new Object();
        Object discriminator = new Object();
        INDArray g1 = pool.acquire(generator, DataType.FLOAT, 1000);
        INDArray g2 = pool.acquire(generator, DataType.FLOAT, 100);
        assertThat(g2).isNotSameAs(g1);
        assertThat(pool.bytes()).isEqualTo(1100 * 4);

        // the discriminator's largest request takes the smallest buffer that fits, its next one the other
        INDArray d1 = pool.acquire(discriminator, DataType.FLOAT, 90);
        INDArray d2 = pool.acquire(discriminator, DataType.FLOAT, 80);
        assertThat(d1).isSameAs(g2);
        assertThat(d2).isSameAs(g1);
        // nothing left that it does not hold: a new buffer; another type never shares
        INDArray d3 = pool.acquire(discriminator, DataType.FLOAT, 10);
        INDArray d4 = pool.acquire(discriminator, DataType.INT32, 10);
        assertThat(d3).isNotIn(g1, g2);
        assertThat(d4.dataType()).isEqualTo(DataType.INT32);
        assertThat(pool.bytes()).isEqualTo(1100 * 4 + 10 * 4 + 10 * 4);

        pool.release(generator); // the discriminator still holds both shared buffers
        assertThat(pool.bytes()).isEqualTo(1100 * 4 + 10 * 4 + 10 * 4);
        pool.release(discriminator);
        assertThat(pool.bytes()).isZero();
        assertThat(g1.wasClosed()).isTrue();
    }
}
