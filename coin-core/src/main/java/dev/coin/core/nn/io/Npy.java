package dev.coin.core.nn.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} format version 1.0 for C-order arrays of float32, float64, int32 and int64, including 0-d
 * arrays (which ND4J's own npz reader rejects). Written little-endian; read in either byte order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Serialises {@code array} (any order; written C-order). */
    public static byte[] write(INDArray array) {
        DataType dt = array.dataType();
        String descr;
        switch (dt) {
            case FLOAT: descr = "<f4"; break;
            case DOUBLE: descr = "<f8"; break;
            case INT: descr = "<i4"; break;
            case LONG: descr = "<i8"; break;
            default:
                throw new IllegalArgumentException("data type " + dt + " is not supported by the npy writer; cast to FLOAT, DOUBLE, INT32 or INT64");
        }
        long[] shape = array.shape();
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            sh.append(shape.length == 1 ? "," : (i < shape.length - 1 ? ", " : ""));
        }
        sh.append(")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        INDArray c = array.dup('c');
        long n = c.length();
        ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(n * dt.width())).order(ByteOrder.LITTLE_ENDIAN);
        switch (dt) {
            case FLOAT: for (float v : c.data().asFloat()) { body.putFloat(v); } break;
            case DOUBLE: for (double v : c.data().asDouble()) { body.putDouble(v); } break;
            case INT: for (int v : c.data().asInt()) { body.putInt(v); } break;
            default: for (long v : c.data().asLong()) { body.putLong(v); } break;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + 10 + body.capacity());
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        byte[] hb = header.getBytes(StandardCharsets.US_ASCII);
        out.write(hb.length & 0xff);
        out.write((hb.length >> 8) & 0xff);
        out.writeBytes(hb);
        out.writeBytes(body.array());
        return out.toByteArray();
    }

    /** Parses one {@code .npy} file's bytes. */
    public static INDArray read(byte[] bytes) throws IOException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw new IOException("not an .npy array (bad magic)");
            }
        }
        int major = bytes[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = (bytes[8] & 0xff) | ((bytes[9] & 0xff) << 8);
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            offset = 12;
        } else {
            throw new IOException("unsupported .npy version " + major);
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException("malformed .npy header: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IOException("Fortran-order .npy arrays are not supported; save with C order");
        }
        List<Long> dims = new ArrayList<>();
        for (String p : s.group(1).split(",")) {
            if (!p.isBlank()) {
                dims.add(Long.parseLong(p.trim()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long v : shape) {
            n *= v;
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = d.group(2) + d.group(3);
        ByteBuffer body = ByteBuffer.wrap(bytes, offset + headerLen, bytes.length - offset - headerLen).order(order);
        int len = Math.toIntExact(n);
        INDArray out;
        switch (type) {
            case "f4": {
                float[] v = new float[len];
                body.asFloatBuffer().get(v);
                out = shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c');
                break;
            }
            case "f8": {
                double[] v = new double[len];
                body.asDoubleBuffer().get(v);
                out = shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c');
                break;
            }
            case "i4": {
                int[] v = new int[len];
                body.asIntBuffer().get(v);
                out = shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape('c', shape);
                break;
            }
            case "i8": {
                long[] v = new long[len];
                body.asLongBuffer().get(v);
                out = shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape('c', shape);
                break;
            }
            default:
                throw new IOException("unsupported .npy dtype " + d.group(0) + "; supported: f4, f8, i4, i8");
        }
        return out;
    }
}
