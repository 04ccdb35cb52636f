package io.modelyard.storage;

import java.net.URI;
import java.util.Optional;

/** A hand-made {@link StorageConfig}, as SmallRye would map it from properties. */
record TestStorageConfig(Type type, String dir, String bucket, URI endpoint, boolean pathStyle)
        implements StorageConfig {

    @Override
    public boolean fsync() {
        return false;
    }

    @Override
    public S3 s3() {
        return new S3() {
            @Override
            public Optional<String> bucket() {
                return Optional.ofNullable(bucket);
            }

            @Override
            public Optional<URI> endpoint() {
                return Optional.ofNullable(endpoint);
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public boolean pathStyle() {
                return pathStyle;
            }

            @Override
            public int partSize() {
                return S3BlobStore.MIN_PART_SIZE;
            }
        };
    }
}
