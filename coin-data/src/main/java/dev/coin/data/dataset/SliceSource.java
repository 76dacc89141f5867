package dev.coin.data.dataset;

import dev.coin.data.slice.Slice;
import java.util.List;

/**
 * Random access to the slices of a dataset. {@link #info} must be cheap (no pixel access): samplers and splits
 * only look at it.
 */
public interface SliceSource {
    int size();

    SliceInfo info(int index);

    Slice get(int index);

    /** The metadata of every slice, in index order. */
    default List<SliceInfo> infos() {
        SliceInfo[] all = new SliceInfo[size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = info(i);
        }
        return List.of(all);
    }

    /** An in-memory source over a fixed list of slices. */
    static SliceSource of(List<Slice> slices) {
        List<Slice> copy = List.copyOf(slices);
        return new SliceSource() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public SliceInfo info(int index) {
                Slice s = copy.get(index);
                return SliceInfo.of(s);
            }

            @Override
            public Slice get(int index) {
                return copy.get(index);
            }

            @Override
            public String toString() {
                return "SliceSource[" + copy.size() + " slices in memory]";
            }
        };
    }
}
