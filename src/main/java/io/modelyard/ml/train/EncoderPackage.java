package io.modelyard.ml.train;

import io.modelyard.ml.ZipBytes;
import io.modelyard.ml.text.Vocabulary;
import io.modelyard.training.engine.TrainingDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * An imported encoder as the tenant uploads it: a zip of {@code encoder.pt} (a TorchScript module taking int64
 * token indexes (batch, length), 0 for padding, and returning one float vector per text) and
 * {@code vocabulary.txt} (one token per line, the line number its index: {@code <pad>}, {@code <unk>}, then the
 * encoder's tokens, lowercased as the platform's tokenizer writes them).
 */
record EncoderPackage(byte[] module, Vocabulary vocabulary) {

    static final String MODULE = "encoder.pt";
    static final String VOCABULARY = "vocabulary.txt";

    static EncoderPackage read(byte[] zip) {
        try {
            Map<String, byte[]> entries = ZipBytes.read(zip);
            byte[] module = entries.get(MODULE);
            byte[] vocabulary = entries.get(VOCABULARY);
            if (module == null || vocabulary == null) {
                throw new TrainingDataException("the imported encoder lacks " + (module == null ? MODULE : VOCABULARY),
                        "encoder_id", null, -1);
            }
            return new EncoderPackage(module, Vocabulary.read(new ByteArrayInputStream(vocabulary)));
        } catch (IOException e) {
            throw new TrainingDataException("the imported encoder is unreadable: " + e.getMessage(), "encoder_id",
                    null, -1);
        }
    }
}
