package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The Tink ciphertext of an encrypted blob (what follows the format prefix) as the seekable channel that Tink's
 * random-access decryption reads. Reads go to the store as range reads of a bounded window from the current
 * position, so reading one page of a large blob fetches a few segments, not the blob; the blob's first bytes
 * (prefix and Tink's header), read once to recognise the blob, are served from memory.
 */
final class CiphertextChannel implements SeekableByteChannel {

    /** Bytes one range read asks for: four segments, enough for a page of rows and a segment straddling it. */
    private static final int WINDOW = 4 * EncryptedBlobFormat.SEGMENT_BYTES;

    private final BlobStore store;
    private final String key;
    private final long offset;
    private final long size;
    private final byte[] head;
    private final int headLength;
    private long position;
    private InputStream window;
    private long windowPosition;
    private boolean open = true;

    /**
     * @param offset     where the ciphertext starts in the stored blob
     * @param size       bytes of ciphertext
     * @param head       the stored blob's first {@code headLength} bytes
     */
    CiphertextChannel(BlobStore store, String key, long offset, long size, byte[] head, int headLength) {
        this.store = store;
        this.key = key;
        this.offset = offset;
        this.size = size;
        this.head = head;
        this.headLength = headLength;
    }

    /** Fills {@code dst} as far as the blob goes: Tink takes a short read for "try again later". */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (position >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            int wanted = (int) Math.min(dst.remaining(), size - position);
            long stored = offset + position;
            int n;
            if (stored < headLength) {
                n = (int) Math.min(wanted, headLength - stored);
                dst.put(head, (int) stored, n);
            } else {
                n = readWindow(dst, wanted);
            }
            position += n;
            total += n;
        }
        return total;
    }

    private int readWindow(ByteBuffer dst, int wanted) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (window == null || windowPosition != position) {
                openWindow(wanted);
            }
            int n = readInto(dst, wanted);
            if (n > 0) {
                windowPosition += n;
                return n;
            }
            closeWindow(); // this window is used up: the next one starts here
        }
        throw new IOException("Blob " + key + " ended before its recorded size");
    }

    private int readInto(ByteBuffer dst, int wanted) throws IOException {
        try {
            if (dst.hasArray()) {
                int n = window.read(dst.array(), dst.arrayOffset() + dst.position(), wanted);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }
            byte[] buffer = new byte[wanted];
            int n = window.read(buffer, 0, wanted);
            if (n > 0) {
                dst.put(buffer, 0, n);
            }
            return n;
        } catch (IOException e) {
            throw new DecryptedInputStream.StoreReadException(e);
        }
    }

    private void openWindow(int wanted) {
        closeWindow();
        long end = Math.min(size, position + Math.max(wanted, WINDOW));
        window = store.openRange(key, offset + position, offset + end);
        windowPosition = position;
    }

    private void closeWindow() {
        if (window != null) {
            try {
                window.close();
            } catch (IOException ignored) {
                // a range read we no longer need
            }
            window = null;
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        closeWindow();
    }
}
