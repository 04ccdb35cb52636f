package io.modelyard.dataset.image;

import io.modelyard.dataset.problem.DatasetProblem;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The zip's central directory, read by hand for the three things {@link java.util.zip.ZipFile} hides or
 * refuses without naming the entry: the Unix mode in the external attributes (a symbolic link), the
 * encryption flag (ZipFile refuses the whole archive on opening it), and the compression method.
 */
final class CentralDirectory {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;

    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_UTF8 = 1 << 11;
    private static final int UNIX_FILE_TYPE = 0170000;
    private static final int UNIX_SYMLINK = 0120000;

    private CentralDirectory() {
    }

    /** One central directory record; {@code name} as the zip spells it. */
    record Entry(String name, int flags, int method, int externalAttributes) {

        boolean encrypted() {
            return (flags & FLAG_ENCRYPTED) != 0;
        }

        /** Unix tools keep the file mode in the high 16 bits; other hosts leave them zero. */
        boolean symlink() {
            return ((externalAttributes >>> 16) & UNIX_FILE_TYPE) == UNIX_SYMLINK;
        }
    }

    /**
     * The entries in directory order: all of them, or the first {@code maxEntries + 1} when there are more,
     * which is enough to name the first one past the limit.
     */
    static List<Entry> read(Path zip, int maxEntries) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < END_SIZE) {
                throw malformed("The upload is too short to be a zip archive.");
            }
            int tailLength = (int) Math.min(size, END_SIZE + MAX_COMMENT);
            ByteBuffer tail = readAt(channel, size - tailLength, tailLength);
            int end = findEnd(tail);
            if (end < 0) {
                throw malformed("The zip archive has no end record: it is truncated or not a zip archive.");
            }
            long count = tail.getShort(end + 10) & 0xFFFF;
            long offset = tail.getInt(end + 16) & 0xFFFFFFFFL;
            if (count == 0xFFFF || offset == 0xFFFFFFFFL) {
                long[] zip64 = zip64CountAndOffset(channel, size - tailLength + end);
                count = zip64[0];
                offset = zip64[1];
            }
            if (offset >= size && count > 0) {
                throw malformed("The zip archive's directory lies past its end: the archive is truncated.");
            }
            long wanted = Math.min(count, (long) maxEntries + 1);
            List<Entry> entries = new ArrayList<>();
            channel.position(offset);
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            try {
                for (long i = 0; i < wanted; i++) {
                    entries.add(readEntry(in));
                }
            } catch (EOFException e) {
                throw malformed("The zip archive's directory ends early: the archive is truncated.");
            }
            return entries;
        }
    }

    private static Entry readEntry(DataInputStream in) throws IOException {
        byte[] header = in.readNBytes(46);
        if (header.length < 46) {
            throw new EOFException();
        }
        ByteBuffer fixed = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (fixed.getInt(0) != ENTRY_SIGNATURE) {
            throw malformed("The zip archive's directory is damaged (a record without its signature).");
        }
        int flags = fixed.getShort(8) & 0xFFFF;
        int method = fixed.getShort(10) & 0xFFFF;
        int nameLength = fixed.getShort(28) & 0xFFFF;
        int extraLength = fixed.getShort(30) & 0xFFFF;
        int commentLength = fixed.getShort(32) & 0xFFFF;
        int external = fixed.getInt(38);
        byte[] nameBytes = in.readNBytes(nameLength);
        if (nameBytes.length < nameLength || in.skipBytes(extraLength + commentLength) < extraLength + commentLength) {
            throw new EOFException();
        }
        return new Entry(name(nameBytes, flags), flags, method, external);
    }

    /** UTF-8, as ZipFile reads it; a name that is not UTF-8 would be read differently by every tool. */
    private static String name(byte[] bytes, int flags) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            String lossy = new String(bytes, StandardCharsets.ISO_8859_1);
            throw DatasetProblem.MALFORMED_ARCHIVE.inEntry(lossy, "The entry name '" + lossy + "' is not UTF-8"
                    + ((flags & FLAG_UTF8) == 0 ? " (re-create the zip with a tool that writes UTF-8 names)." : "."));
        }
    }

    /** The last end-of-directory record whose comment reaches exactly to the end of the file. */
    private static int findEnd(ByteBuffer tail) {
        for (int at = tail.capacity() - END_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == END_SIGNATURE
                    && at + END_SIZE + (tail.getShort(at + 20) & 0xFFFF) == tail.capacity()) {
                return at;
            }
        }
        return -1;
    }

    private static long[] zip64CountAndOffset(FileChannel channel, long endPosition) throws IOException {
        if (endPosition < 20) {
            throw malformed("The zip archive's ZIP64 locator is missing.");
        }
        ByteBuffer locator = readAt(channel, endPosition - 20, 20);
        if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
            throw malformed("The zip archive's ZIP64 locator is missing.");
        }
        long zip64End = locator.getLong(8);
        if (zip64End < 0 || zip64End + 56 > channel.size()) {
            throw malformed("The zip archive's ZIP64 end record lies past its end.");
        }
        ByteBuffer record = readAt(channel, zip64End, 56);
        if (record.getInt(0) != ZIP64_END_SIGNATURE) {
            throw malformed("The zip archive's ZIP64 end record is damaged.");
        }
        return new long[] {record.getLong(32), record.getLong(48)};
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException();
            }
        }
        return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static RuntimeException malformed(String detail) {
        return DatasetProblem.MALFORMED_ARCHIVE.problem(detail);
    }
}
