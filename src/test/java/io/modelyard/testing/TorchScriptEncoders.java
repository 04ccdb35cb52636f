package io.modelyard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Encoders a tenant would import, made here without Python: a TorchScript archive written by hand (the format
 * {@code torch.jit.save} writes: a zip of {@code code/__torch__.py}, the pickled module in {@code data.pkl}, its
 * tensor under {@code data/}, {@code constants.pkl} and {@code version}) for a module that embeds token indexes
 * and averages the vectors of the non-padding ones, packed with its vocabulary as {@code POST /v1/encoders}
 * takes it.
 */
public final class TorchScriptEncoders {

    private static final String CODE = String.join("\n",
            "class Encoder(Module):",
            "  __parameters__ = [\"weight\", ]",
            "  __buffers__ = []",
            "  weight : Tensor",
            "  training : bool",
            "  def forward(self: __torch__.Encoder,",
            "    ids: Tensor) -> Tensor:",
            "    embedded = torch.embedding(self.weight, ids)",
            "    mask = torch.unsqueeze(torch.to(torch.ne(ids, 0), 6), 2)",
            "    summed = torch.sum(torch.mul(embedded, mask), [1])",
            "    count = torch.clamp_min(torch.sum(mask, [1]), 1.)",
            "    return torch.div(summed, count)",
            "");

    private TorchScriptEncoders() {
    }

    /**
     * The upload: {@code encoder.pt} and {@code vocabulary.txt} ({@code <pad>}, {@code <unk>}, then the words in
     * order), each word's row of the embedding its vector; padding and unknown words get zeros.
     */
    public static byte[] meanOfVectors(Map<String, float[]> vectors) {
        List<String> words = new ArrayList<>(vectors.keySet());
        int width = vectors.values().iterator().next().length;
        float[] table = new float[(words.size() + 2) * width];
        for (int w = 0; w < words.size(); w++) {
            System.arraycopy(vectors.get(words.get(w)), 0, table, (w + 2) * width, width);
        }
        StringBuilder vocabulary = new StringBuilder("<pad>\n<unk>\n");
        words.forEach(w -> vocabulary.append(w).append('\n'));
        return zip(Map.of("encoder.pt", module(table, words.size() + 2, width),
                "vocabulary.txt", vocabulary.toString().getBytes(StandardCharsets.UTF_8)), "");
    }

    /** The TorchScript archive of the module with this (rows × width) embedding table. */
    public static byte[] module(float[] table, int rows, int width) {
        ByteBuffer data = ByteBuffer.allocate(table.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : table) {
            data.putFloat(v);
        }
        java.util.LinkedHashMap<String, byte[]> records = new java.util.LinkedHashMap<>();
        records.put("data.pkl", pickledModule(rows, width));
        records.put("code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
        records.put("constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        records.put("version", "3\n".getBytes(StandardCharsets.UTF_8));
        records.put("data/0", data.array());
        return zip(records, "encoder/");
    }

    /** The module object as pickle protocol 2: its class, then its state (training, and the weight tensor). */
    private static byte[] pickledModule(int rows, int width) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        global(p, "__torch__", "Encoder");
        p.write(')');
        p.write(0x81);
        p.write('}');
        p.write('(');
        unicode(p, "training");
        p.write(0x89);
        unicode(p, "weight");
        global(p, "torch._utils", "_rebuild_tensor_v2");
        p.write('(');
        p.write('(');
        unicode(p, "storage");
        global(p, "torch", "FloatStorage");
        unicode(p, "0");
        unicode(p, "cpu");
        integer(p, rows * width);
        p.write('t');
        p.write('Q');
        integer(p, 0);
        integer(p, rows);
        integer(p, width);
        p.write(0x86);
        integer(p, width);
        integer(p, 1);
        p.write(0x86);
        p.write(0x89);
        global(p, "collections", "OrderedDict");
        p.write(')');
        p.write('R');
        p.write('t');
        p.write('R');
        p.write('u');
        p.write('b');
        p.write('.');
        return p.toByteArray();
    }

    private static void global(ByteArrayOutputStream p, String module, String name) {
        p.write('c');
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void unicode(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream p, int v) {
        p.write('J');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static byte[] zip(Map<String, byte[]> records, String prefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> record : records.entrySet()) {
                ZipEntry entry = new ZipEntry(prefix + record.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(record.getValue().length);
                entry.setCompressedSize(record.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(record.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(record.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
