package io.modelyard.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void knownInvalidSequences() {
        assertEquals(-1, Utf8.firstInvalid(bytes(0x61, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80), 0, 7));
        assertEquals(0, Utf8.firstInvalid(bytes(0xC0, 0x80), 0, 2), "overlong NUL");
        assertEquals(0, Utf8.firstInvalid(bytes(0xE0, 0x80, 0x80), 0, 3), "overlong 3-byte");
        assertEquals(0, Utf8.firstInvalid(bytes(0xED, 0xA0, 0x80), 0, 3), "surrogate");
        assertEquals(0, Utf8.firstInvalid(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4), "above U+10FFFF");
        assertEquals(1, Utf8.firstInvalid(bytes(0x61, 0xE2, 0x82), 0, 3), "truncated");
        assertEquals(0, Utf8.firstInvalid(bytes(0x80), 0, 1), "lone continuation");
        assertEquals(0, Utf8.firstInvalid(bytes(0xFF), 0, 1));
    }

    @Test
    void agreesWithTheJdkStrictDecoderOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(7);
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int invalid = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                // Mostly high bytes, so that multi-byte sequences of every kind come up.
                b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            boolean jdkValid;
            try {
                decoder.decode(ByteBuffer.wrap(b));
                jdkValid = true;
            } catch (CharacterCodingException e) {
                jdkValid = false;
            }
            boolean ours = Utf8.firstInvalid(b, 0, b.length) < 0;
            assertEquals(jdkValid, ours, () -> java.util.HexFormat.of().formatHex(b));
            invalid += ours ? 0 : 1;
        }
        // The sample must exercise both outcomes to mean anything.
        org.junit.jupiter.api.Assertions.assertTrue(invalid > 1000 && invalid < 199_000);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
