package io.modelyard.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in one bucket of any S3-compatible store (AWS, MinIO, s3proxy). A write of unknown length
 * buffers at most one part ({@code partSize} bytes): content that fits goes up with one PUT, anything larger as
 * a multipart upload that is completed on commit and aborted on failure, so no partial object ever appears.
 * The store does not own the client's lifecycle unless {@code closeClient} is set.
 */
public final class S3BlobStore implements BlobStore {

    /** S3's minimum part size (except for the last part). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final boolean closeClient;
    private volatile boolean batchDeletes = true;

    public S3BlobStore(S3Client s3, String bucket, int partSize, boolean closeClient) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least " + MIN_PART_SIZE + " bytes");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.closeClient = closeClient;
    }

    public S3BlobStore(S3Client s3, String bucket) {
        this(s3, bucket, DEFAULT_PART_SIZE, false);
    }

    @Override
    public BlobWriter openWriter(String key, long maxBytes) {
        return new MultipartWriter(BlobKeys.check(key), maxBytes, true);
    }

    @Override
    public BlobWriter openWriterWithoutDigest(String key, long maxBytes) {
        return new MultipartWriter(BlobKeys.check(key), maxBytes, false);
    }

    @Override
    public InputStream open(String key, String expectedSha256) {
        BlobKeys.check(key);
        try {
            InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
            return VerifyingInputStream.wrap(in, key, expectedSha256);
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(key);
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot read blob " + key, e);
        }
    }

    @Override
    public InputStream openRange(String key, long from, long to) {
        BlobKeys.check(key);
        String range = "bytes=" + from + "-" + (to < 0 ? "" : Long.toString(to - 1));
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key).range(range));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(key);
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<BlobEntry> stat(String key) {
        BlobKeys.check(key);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new BlobEntry(key, head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new BlobStoreException("Cannot stat blob " + key, e);
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot stat blob " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        BlobKeys.check(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot delete blob " + key, e);
        }
    }

    @Override
    public long deleteByPrefix(String prefix) {
        BlobKeys.checkPrefix(prefix);
        long deleted = 0;
        List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleted += deleteBatch(batch);
                }
            }
            if (!batch.isEmpty()) {
                deleted += deleteBatch(batch);
            }
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot delete blobs under " + prefix, e);
        }
        return deleted;
    }

    private int deleteBatch(List<ObjectIdentifier> batch) {
        if (!batchDeletes) {
            return deleteOneByOne(batch);
        }
        software.amazon.awssdk.services.s3.model.DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        } catch (S3Exception e) {
            if (e.statusCode() != 501) {
                throw e;
            }
            // Some S3-compatible stores do not implement the checksum header that the SDK sends with a
            // multi-object delete; remember it and delete one by one.
            batchDeletes = false;
            return deleteOneByOne(batch);
        }
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().get(0);
            throw new BlobStoreException("Cannot delete blob " + first.key() + ": " + first.code() + " "
                    + first.message());
        }
        int n = batch.size();
        batch.clear();
        return n;
    }

    private int deleteOneByOne(List<ObjectIdentifier> batch) {
        for (ObjectIdentifier id : batch) {
            s3.deleteObject(b -> b.bucket(bucket).key(id.key()));
        }
        int n = batch.size();
        batch.clear();
        return n;
    }

    @Override
    public Stream<BlobEntry> list(String prefix) {
        BlobKeys.checkPrefix(prefix);
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(o -> new BlobEntry(o.key(), o.size(), o.lastModified()));
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot list blobs under " + prefix, e);
        }
    }

    @Override
    public int abortIncompleteWrites(Instant startedBefore) {
        int aborted = 0;
        try {
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()) {
                if (upload.initiated() != null && upload.initiated().isBefore(startedBefore)) {
                    abortQuietly(upload.key(), upload.uploadId());
                    aborted++;
                }
            }
        } catch (SdkException e) {
            throw new BlobStoreException("Cannot list incomplete uploads in " + bucket, e);
        }
        return aborted;
    }

    @Override
    public void close() {
        if (closeClient) {
            s3.close();
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException ignored) {
            // already gone
        } catch (SdkException ignored) {
            // a lifecycle rule or abortIncompleteWrites catches what is left
        }
    }

    private final class MultipartWriter extends BlobWriter {

        private byte[] buffer = new byte[64 * 1024];
        private int filled;
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();

        MultipartWriter(String key, long maxBytes, boolean hashed) {
            super(key, maxBytes, hashed);
        }

        @Override
        protected void writeContent(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == buffer.length) {
                    if (buffer.length < partSize) {
                        // Grow towards one part so small blobs never cost a whole part of memory.
                        buffer = java.util.Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
                    } else {
                        uploadPart();
                    }
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void uploadPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key())
                            .contentType("application/octet-stream")).uploadId();
                }
                int partNumber = parts.size() + 1;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key()).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) filled),
                        body()).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                throw new IOException("Cannot upload part of blob " + key(), e);
            }
        }

        /** The buffered bytes without copying; a fresh stream per attempt so the SDK can retry. */
        private RequestBody body() {
            byte[] bytes = buffer;
            int length = filled;
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                    "application/octet-stream");
        }

        @Override
        protected void commitContent() throws IOException {
            try {
                if (uploadId == null) {
                    s3.putObject(b -> b.bucket(bucket).key(key()).contentType("application/octet-stream")
                            .contentLength((long) filled),
                            body());
                } else {
                    if (filled > 0) {
                        uploadPart();
                    }
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key()).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)));
                }
            } catch (SdkException e) {
                throw new IOException("Cannot store blob " + key(), e);
            } finally {
                buffer = null;
            }
        }

        @Override
        protected void abortContent() {
            buffer = null;
            if (uploadId != null) {
                abortQuietly(key(), uploadId);
            }
        }
    }
}
