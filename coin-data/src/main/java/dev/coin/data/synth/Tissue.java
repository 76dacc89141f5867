package dev.coin.data.synth;

/** Tissue codes of the phantom's internal tissue map (what was painted where), and their labels. */
final class Tissue {
    static final byte AIR = 0;
    static final byte FAT = 1;
    static final byte MUSCLE = 2;
    /** Visceral fat inside the abdominal wall: the space organs may be painted into. */
    static final byte CAVITY = 3;
    static final byte LIVER = 4;
    static final byte SPLEEN = 5;
    static final byte BOWEL = 6;
    static final byte GAS = 7;
    static final byte VESSEL = 8;
    static final byte BONE = 9;
    static final byte CSF = 10;
    static final byte DISC = 11;
    static final byte KIDNEY = 12;
    static final byte SINUS_FAT = 13;
    static final byte TUMOUR = 14;
    static final byte CYST = 15;

    private Tissue() {
    }

    static int label(byte tissue) {
        return switch (tissue) {
            case KIDNEY -> LabeledVolume.KIDNEY;
            case TUMOUR -> LabeledVolume.TUMOUR;
            case CYST -> LabeledVolume.CYST;
            default -> LabeledVolume.BACKGROUND;
        };
    }

    /** Whether the smooth texture modulates this tissue (not air, gas or bone). */
    static boolean textured(byte tissue) {
        return tissue != AIR && tissue != GAS && tissue != BONE;
    }

    /** Soft abdominal content an organ may displace when painted (not the wall, bone, vessels or kidneys). */
    static boolean displaceable(byte tissue) {
        return tissue == CAVITY || tissue == BOWEL || tissue == GAS;
    }
}
