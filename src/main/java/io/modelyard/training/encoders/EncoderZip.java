package io.modelyard.training.encoders;

import io.modelyard.common.ProblemException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks an uploaded encoder without running it (the API never loads PyTorch): a zip holding {@code encoder.pt},
 * itself a zip as TorchScript archives are, and {@code vocabulary.txt} beginning with {@code <pad>} and
 * {@code <unk>}. Whether the module runs is found when a training job first loads it.
 */
final class EncoderZip {

    private EncoderZip() {
    }

    /** @return the vocabulary's size; 422 {@code invalid-encoder} saying what is wrong otherwise */
    static int check(InputStream in) throws IOException {
        boolean module = false;
        int vocabulary = -1;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals("encoder.pt")) {
                    byte[] head = zip.readNBytes(4);
                    module = head.length == 4 && head[0] == 'P' && head[1] == 'K';
                    if (!module) {
                        throw invalid("encoder.pt is not a TorchScript archive (torch.jit.save writes a zip)");
                    }
                } else if (entry.getName().equals("vocabulary.txt")) {
                    vocabulary = vocabulary(zip.readAllBytes());
                }
            }
        }
        if (!module || vocabulary < 0) {
            throw invalid("the zip must hold encoder.pt and vocabulary.txt");
        }
        return vocabulary;
    }

    private static int vocabulary(byte[] bytes) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8));
        String pad = reader.readLine();
        String unk = reader.readLine();
        if (!"<pad>".equals(pad) || !"<unk>".equals(unk)) {
            throw invalid("vocabulary.txt must begin with <pad> and <unk> (indexes 0 and 1)");
        }
        int size = 2;
        while (reader.readLine() != null) {
            size++;
        }
        if (size < 3) {
            throw invalid("vocabulary.txt has no tokens");
        }
        return size;
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.unprocessable("invalid-encoder", "Not an importable encoder: " + detail
                + "; nothing was kept.");
    }
}
