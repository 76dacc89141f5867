package dev.coin.data.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and encodes the binary NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) header layouts, validating every
 * field the reader relies on. Offsets follow nifti1.h and nifti2.h.
 */
final class NiftiHeaderCodec {
    private static final Logger LOG = LoggerFactory.getLogger(NiftiHeaderCodec.class);
    private static final byte[] NIFTI2_SIGNATURE = {'\r', '\n', 0x1A, '\n'};

    private NiftiHeaderCodec() {
    }

    /**
     * Reads and validates a header from the start of {@code in}, consuming exactly {@code sizeof_hdr} bytes.
     *
     * @param file for messages
     */
    static NiftiHeader decode(InputStream in, Path file) throws IOException {
        byte[] first = in.readNBytes(4);
        if (first.length < 4) {
            throw new NiftiFormatException(file, "truncated header: file has " + first.length
                    + " bytes, a NIfTI header needs 348 (NIfTI-1) or 540 (NIfTI-2)");
        }
        int le = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).getInt();
        NiftiVersion version;
        ByteOrder order;
        if (le == 348 || be == 348) {
            version = NiftiVersion.NIFTI1;
            order = le == 348 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        } else if (le == 540 || be == 540) {
            version = NiftiVersion.NIFTI2;
            order = le == 540 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        } else {
            throw new NiftiFormatException(file, "not a NIfTI file: sizeof_hdr is " + le + " (little-endian) / "
                    + be + " (big-endian), expected 348 (NIfTI-1) or 540 (NIfTI-2)");
        }
        byte[] bytes = new byte[version.headerSize()];
        System.arraycopy(first, 0, bytes, 0, 4);
        int n = in.readNBytes(bytes, 4, bytes.length - 4);
        if (n < bytes.length - 4) {
            throw new NiftiFormatException(file, "truncated header: sizeof_hdr says " + version.headerSize()
                    + " bytes (" + version + ") but the file ends after " + (n + 4));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(order);
        return version == NiftiVersion.NIFTI1 ? decode1(buf, order, file) : decode2(buf, order, file);
    }

    private static NiftiHeader decode1(ByteBuffer b, ByteOrder order, Path file) throws NiftiFormatException {
        String magic = latin1(b, 344, 4);
        boolean single;
        if (magic.equals("n+1")) {
            single = true;
        } else if (magic.equals("ni1")) {
            single = false;
        } else if (isAllZero(b, 344, 4)) {
            throw new NiftiFormatException(file, "magic is empty (sizeof_hdr 348 without \"n+1\"/\"ni1\"): this is "
                    + "an Analyze 7.5 header, which is not supported; convert it to NIfTI (e.g. with nibabel or "
                    + "fslchfiletype)");
        } else {
            throw new NiftiFormatException(file, "wrong magic " + quoteBytes(b, 344, 4)
                    + ", expected \"n+1\" (single .nii) or \"ni1\" (.hdr/.img pair); not a NIfTI-1 file (an Analyze "
                    + "7.5 file, which is unsupported, has the same 348-byte header without the magic)");
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        int dataTypeCode = b.getShort(70);
        int bitpix = b.getShort(72);
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        double voxOffsetF = b.getFloat(108);
        if (!(voxOffsetF >= 0) || Double.isInfinite(voxOffsetF) || voxOffsetF != Math.rint(voxOffsetF)) {
            throw new NiftiFormatException(file, "vox_offset is " + voxOffsetF
                    + ", expected a non-negative whole number of bytes");
        }
        NiftiHeader.Builder h = NiftiHeader.builder().version(NiftiVersion.NIFTI1).byteOrder(order).singleFile(single);
        if (voxOffsetF >= 0x1p63) { // (long) would clip it to Long.MAX_VALUE
            throw new NiftiFormatException(file, "vox_offset is " + voxOffsetF + ", beyond any file size (at most "
                    + Long.MAX_VALUE + " bytes); the header is corrupt");
        }
        common(h, file, dim, dataTypeCode, bitpix, pixdim, (long) voxOffsetF, b.getFloat(112), b.getFloat(116));
        int qformCode = b.getShort(252);
        int sformCode = b.getShort(254);
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }
        xforms(h, file, qformCode, sformCode, b.getFloat(256), b.getFloat(260), b.getFloat(264),
                new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)}, srow);
        h.intent(b.getShort(68), b.getFloat(56), b.getFloat(60), b.getFloat(64), latin1(b, 328, 16));
        h.sliceInfo(b.get(39) & 0xFF, b.get(122) & 0xFF, b.getShort(74), b.getShort(120), b.getFloat(132));
        h.toffset(b.getFloat(136)).xyztUnits(b.get(123) & 0xFF).calibration(b.getFloat(128), b.getFloat(124));
        h.description(latin1(b, 148, 80)).auxFile(latin1(b, 228, 24));
        return h.build();
    }

    private static NiftiHeader decode2(ByteBuffer b, ByteOrder order, Path file) throws NiftiFormatException {
        String magic = latin1(b, 4, 4);
        boolean single;
        if (magic.equals("n+2")) {
            single = true;
        } else if (magic.equals("ni2")) {
            single = false;
        } else {
            throw new NiftiFormatException(file, "wrong magic " + quoteBytes(b, 4, 8)
                    + ", expected \"n+2\" (single .nii) or \"ni2\" (.hdr/.img pair) for sizeof_hdr 540 (NIfTI-2)");
        }
        for (int i = 0; i < 4; i++) {
            if (b.get(8 + i) != NIFTI2_SIGNATURE[i]) {
                throw new NiftiFormatException(file, "magic bytes 4..7 are " + quoteBytes(b, 8, 4)
                        + ", expected \\r\\n\\032\\n: the file was altered, e.g. by a text-mode transfer");
            }
        }
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        long voxOffset = b.getLong(168);
        if (voxOffset < 0) {
            throw new NiftiFormatException(file, "vox_offset is " + voxOffset + ", expected >= 0");
        }
        NiftiHeader.Builder h = NiftiHeader.builder().version(NiftiVersion.NIFTI2).byteOrder(order).singleFile(single);
        common(h, file, dim, b.getShort(12), b.getShort(14), pixdim, voxOffset, b.getDouble(176), b.getDouble(184));
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
            }
        }
        xforms(h, file, b.getInt(344), b.getInt(348), b.getDouble(352), b.getDouble(360), b.getDouble(368),
                new double[] {b.getDouble(376), b.getDouble(384), b.getDouble(392)}, srow);
        h.intent(b.getInt(504), b.getDouble(80), b.getDouble(88), b.getDouble(96), latin1(b, 508, 16));
        h.sliceInfo(b.get(524) & 0xFF, b.getInt(496), b.getLong(224), b.getLong(232), b.getDouble(208));
        h.toffset(b.getDouble(216)).xyztUnits(b.getInt(500)).calibration(b.getDouble(200), b.getDouble(192));
        h.description(latin1(b, 240, 80)).auxFile(latin1(b, 320, 24));
        return h.build();
    }

    /** Fields common to both versions: dims, datatype, pixdim, vox_offset, scaling. */
    private static void common(NiftiHeader.Builder h, Path file, long[] dim, int dataTypeCode, int bitpix,
            double[] pixdim, long voxOffset, double slope, double inter) throws NiftiFormatException {
        int ndim = (int) Math.max(Math.min(dim[0], Integer.MAX_VALUE), Integer.MIN_VALUE);
        if (dim[0] < 1 || dim[0] > NiftiHeader.MAX_DIMS) {
            throw new NiftiFormatException(file, "dim[0] (number of dimensions) is " + dim[0] + ", expected 1.."
                    + NiftiHeader.MAX_DIMS + "; dim = " + Arrays.toString(dim));
        }
        int[] shape = new int[ndim];
        long count = 1;
        for (int d = 1; d <= ndim; d++) {
            if (dim[d] <= 0) {
                throw new NiftiFormatException(file, "dim[" + d + "] is " + dim[d] + ", every dimension must be > 0; "
                        + "dim = " + Arrays.toString(dim));
            }
            if (dim[d] > Integer.MAX_VALUE) {
                throw new NiftiFormatException(file, "dim[" + d + "] is " + dim[d] + ", more than 2^31-1 voxels along "
                        + "one axis is not supported; dim = " + Arrays.toString(dim));
            }
            shape[d - 1] = (int) dim[d];
            try {
                count = Math.multiplyExact(count, dim[d]);
            } catch (ArithmeticException e) {
                throw new NiftiFormatException(file, "dim = " + Arrays.toString(dim)
                        + ": the voxel count overflows a 64-bit integer");
            }
        }
        NiftiDataType type;
        try {
            type = NiftiDataType.fromCode(dataTypeCode);
        } catch (IllegalArgumentException e) {
            throw new NiftiFormatException(file, "datatype " + dataTypeCode + " ("
                    + NiftiDataType.describeCode(dataTypeCode) + ") is not supported; supported: "
                    + NiftiDataType.supportedList());
        }
        try {
            Math.multiplyExact(count, (long) type.bytesPerVoxel());
        } catch (ArithmeticException e) {
            throw new NiftiFormatException(file, "dim = " + Arrays.toString(dim) + " of " + type
                    + ": the data size in bytes overflows a 64-bit integer");
        }
        if (bitpix != 8 * type.bytesPerVoxel()) {
            LOG.warn("{}: bitpix is {} but datatype {} has {} bits; trusting datatype", file, bitpix, type,
                    8 * type.bytesPerVoxel());
        }
        if (!Double.isNaN(slope) && slope != 0 && (Double.isInfinite(slope) || Double.isInfinite(inter))) {
            throw new NiftiFormatException(file, "scl_slope/scl_inter are " + slope + "/" + inter
                    + ", expected finite values (or scl_slope 0/NaN for no scaling)");
        }
        h.shape(shape).dataType(type).pixdim(pixdim).voxOffset(voxOffset).scaling(
                Double.isInfinite(slope) ? Double.NaN : slope, Double.isInfinite(inter) ? 0 : inter);
    }

    private static void xforms(NiftiHeader.Builder h, Path file, int qformCode, int sformCode, double qb, double qc,
            double qd, double[] qoffset, double[][] srow) throws NiftiFormatException {
        // An unknown code means a corrupt header; guessing the orientation from the other form could flip a scan.
        if (qformCode < 0 || qformCode > 5) {
            throw new NiftiFormatException(file, "qform_code is " + qformCode + ", expected 0..5");
        }
        if (sformCode < 0 || sformCode > 5) {
            throw new NiftiFormatException(file, "sform_code is " + sformCode + ", expected 0..5");
        }
        for (double[] row : srow) {
            for (double v : row) {
                if (sformCode > 0 && !Double.isFinite(v)) {
                    throw new NiftiFormatException(file, "sform_code is " + sformCode + " but srow holds " + v
                            + "; srow = " + Arrays.deepToString(srow));
                }
            }
        }
        if (qformCode > 0 && !(Double.isFinite(qb) && Double.isFinite(qc) && Double.isFinite(qd)
                && Double.isFinite(qoffset[0]) && Double.isFinite(qoffset[1]) && Double.isFinite(qoffset[2]))) {
            throw new NiftiFormatException(file, "qform_code is " + qformCode + " but the quaternion/offset is not "
                    + "finite: quatern = " + qb + "," + qc + "," + qd + ", qoffset = " + Arrays.toString(qoffset));
        }
        h.qform(qformCode, qb, qc, qd, qoffset).sform(sformCode, srow);
    }

    /**
     * The header bytes, padded with the 4-byte extension flag (no extensions): {@code minSingleFileOffset} bytes.
     *
     * @throws IllegalArgumentException when a value does not fit the NIfTI-1 field (e.g. a dimension &gt; 32767)
     */
    static byte[] encode(NiftiHeader h, long voxOffset) {
        NiftiVersion v = h.version();
        ByteBuffer b = ByteBuffer.allocate(v.minSingleFileOffset()).order(h.byteOrder());
        b.putInt(0, v.headerSize());
        int[] shape = h.shape();
        double[] pixdim = h.pixdim();
        double[] q = h.quatern();
        double[] qo = h.qoffset();
        double[][] srow = h.srow();
        double[] ip = h.intentParams();
        if (v == NiftiVersion.NIFTI1) {
            b.put(38, (byte) 'r'); // "regular", as the standard suggests
            b.put(39, (byte) h.dimInfo());
            b.putShort(40, (short) shape.length);
            for (int d = 0; d < shape.length; d++) {
                b.putShort(42 + 2 * d, toShort("dim[" + (d + 1) + "]", shape[d]));
            }
            for (int d = shape.length; d < 7; d++) {
                b.putShort(42 + 2 * d, (short) 1);
            }
            b.putFloat(56, (float) ip[0]).putFloat(60, (float) ip[1]).putFloat(64, (float) ip[2]);
            b.putShort(68, toShort("intent_code", h.intentCode()));
            b.putShort(70, (short) h.dataType().code());
            b.putShort(72, (short) (8 * h.dataType().bytesPerVoxel()));
            b.putShort(74, toShort("slice_start", h.sliceStart()));
            for (int i = 0; i < 8; i++) {
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putFloat(108, voxOffset);
            b.putFloat(112, (float) h.sclSlope()).putFloat(116, (float) h.sclInter());
            b.putShort(120, toShort("slice_end", h.sliceEnd()));
            b.put(122, (byte) h.sliceCode());
            b.put(123, (byte) h.xyztUnits());
            b.putFloat(124, (float) h.calMax()).putFloat(128, (float) h.calMin());
            b.putFloat(132, (float) h.sliceDuration()).putFloat(136, (float) h.toffset());
            putText(b, 148, h.description(), 80);
            putText(b, 228, h.auxFile(), 24);
            b.putShort(252, (short) h.qformCode()).putShort(254, (short) h.sformCode());
            b.putFloat(256, (float) q[0]).putFloat(260, (float) q[1]).putFloat(264, (float) q[2]);
            b.putFloat(268, (float) qo[0]).putFloat(272, (float) qo[1]).putFloat(276, (float) qo[2]);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    b.putFloat(280 + 16 * r + 4 * c, (float) srow[r][c]);
                }
            }
            putText(b, 328, h.intentName(), 16);
            putText(b, 344, h.singleFile() ? "n+1" : "ni1", 4);
        } else {
            putText(b, 4, h.singleFile() ? "n+2" : "ni2", 4);
            b.put(8, NIFTI2_SIGNATURE[0]).put(9, NIFTI2_SIGNATURE[1]).put(10, NIFTI2_SIGNATURE[2])
                    .put(11, NIFTI2_SIGNATURE[3]);
            b.putShort(12, (short) h.dataType().code());
            b.putShort(14, (short) (8 * h.dataType().bytesPerVoxel()));
            b.putLong(16, shape.length);
            for (int d = 0; d < 7; d++) {
                b.putLong(24 + 8 * d, d < shape.length ? shape[d] : 1);
            }
            b.putDouble(80, ip[0]).putDouble(88, ip[1]).putDouble(96, ip[2]);
            for (int i = 0; i < 8; i++) {
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, voxOffset);
            b.putDouble(176, h.sclSlope()).putDouble(184, h.sclInter());
            b.putDouble(192, h.calMax()).putDouble(200, h.calMin());
            b.putDouble(208, h.sliceDuration()).putDouble(216, h.toffset());
            b.putLong(224, h.sliceStart()).putLong(232, h.sliceEnd());
            putText(b, 240, h.description(), 80);
            putText(b, 320, h.auxFile(), 24);
            b.putInt(344, h.qformCode()).putInt(348, h.sformCode());
            b.putDouble(352, q[0]).putDouble(360, q[1]).putDouble(368, q[2]);
            b.putDouble(376, qo[0]).putDouble(384, qo[1]).putDouble(392, qo[2]);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    b.putDouble(400 + 32 * r + 8 * c, srow[r][c]);
                }
            }
            b.putInt(496, h.sliceCode()).putInt(500, h.xyztUnits()).putInt(504, h.intentCode());
            putText(b, 508, h.intentName(), 16);
            b.put(524, (byte) h.dimInfo());
        }
        return b.array();
    }

    private static short toShort(String field, long value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException(field + " is " + value + ", which does not fit the 16-bit NIfTI-1 field;"
                    + " write NIfTI-2 instead (NiftiWriter.builder().version(NiftiVersion.NIFTI2))");
        }
        return (short) value;
    }

    private static void putText(ByteBuffer b, int offset, String text, int max) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            b.put(offset + i, bytes[i]);
        }
    }

    /** A NUL-terminated Latin-1 string field. */
    private static String latin1(ByteBuffer b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = b.get(offset + i);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static boolean isAllZero(ByteBuffer b, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String quoteBytes(ByteBuffer b, int offset, int length) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = offset; i < offset + length; i++) {
            int c = b.get(i) & 0xFF;
            if (c >= 32 && c < 127 && c != '"' && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('"').toString();
    }
}
