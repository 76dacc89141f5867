package dev.coin.data.dataset;

import java.util.Arrays;

/**
 * The items of one epoch in visiting order, optionally each with a partner item (the healthy slice paired with an
 * abnormal one by {@link PairedHealthySampler}).
 */
public final class EpochPlan {
    private final int[] items;
    private final int[] partners;

    private EpochPlan(int[] items, int[] partners) {
        this.items = items;
        this.partners = partners;
    }

    public static EpochPlan of(int[] items) {
        return new EpochPlan(items.clone(), null);
    }

    public static EpochPlan paired(int[] items, int[] partners) {
        if (items.length != partners.length) {
            throw new IllegalArgumentException("items and partners must have the same length, got " + items.length
                    + " and " + partners.length);
        }
        return new EpochPlan(items.clone(), partners.clone());
    }

    public int size() {
        return items.length;
    }

    public int item(int position) {
        return items[position];
    }

    public boolean isPaired() {
        return partners != null;
    }

    /** The partner of the item at {@code position}; only for paired plans. */
    public int partner(int position) {
        if (partners == null) {
            throw new IllegalStateException("this plan has no partners; use a PairedHealthySampler");
        }
        return partners[position];
    }

    public int[] items() {
        return items.clone();
    }

    @Override
    public String toString() {
        return "EpochPlan[" + items.length + " items" + (partners == null ? "" : ", paired") + ", first "
                + Arrays.toString(Arrays.copyOf(items, Math.min(5, items.length))) + "]";
    }
}
