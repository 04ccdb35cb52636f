package io.modelyard.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** Where blobs live. Keys under {@code modelyard.storage}; documented in the README ("Settings"). */
@ConfigMapping(prefix = "modelyard.storage")
public interface StorageConfig {

    /** {@code filesystem} (the default) or {@code s3}. */
    @WithDefault("filesystem")
    Type type();

    /** Root directory of the filesystem store. */
    @WithDefault("data/blobs")
    String dir();

    /** Flush every committed blob to disk before it becomes visible (filesystem store). */
    @WithDefault("true")
    boolean fsync();

    S3 s3();

    enum Type {
        FILESYSTEM, S3
    }

    interface S3 {

        /** Required when {@code type=s3}. */
        Optional<String> bucket();

        /** For MinIO, s3proxy or another S3-compatible store; AWS when absent. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Path-style URLs ({@code endpoint/bucket/key}), which MinIO and s3proxy need. */
        @WithDefault("false")
        boolean pathStyle();

        /** Bytes buffered per multipart part (minimum 5 MiB): the memory one streaming write holds. */
        @WithDefault("8388608")
        int partSize();
    }
}
