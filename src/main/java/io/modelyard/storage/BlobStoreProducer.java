package io.modelyard.storage;

import io.modelyard.storage.encryption.EncryptingBlobStore;
import io.modelyard.storage.encryption.EncryptionConfig;
import io.modelyard.storage.encryption.TenantDataKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Makes the one {@link BlobStore} of the process from {@link StorageConfig}. */
@ApplicationScoped
public class BlobStoreProducer {

    /** The configured store, behind encryption at rest of tenants' blobs (see {@link EncryptingBlobStore}). */
    @Produces
    @Singleton
    BlobStore blobStore(StorageConfig config, EncryptionConfig encryption, TenantDataKeys keys) {
        return new EncryptingBlobStore(create(config), keys, encryption.enabled());
    }

    void close(@Disposes BlobStore store) {
        store.close();
    }

    /** The store {@code config} describes; S3 credentials come from the SDK's default chain (env, profile, IRSA). */
    public static BlobStore create(StorageConfig config) {
        return switch (config.type()) {
            case FILESYSTEM -> new FileSystemBlobStore(Path.of(config.dir()), config.fsync());
            case S3 -> {
                String bucket = config.s3().bucket().orElseThrow(() -> new IllegalStateException(
                        "modelyard.storage.s3.bucket is required when modelyard.storage.type=s3"));
                S3ClientBuilder builder = S3Client.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(DefaultCredentialsProvider.builder().build())
                        .region(Region.of(config.s3().region()))
                        .forcePathStyle(config.s3().pathStyle())
                        // Checksums only where S3 requires them: S3-compatible stores vary in what they accept,
                        // and every blob carries our own SHA-256 anyway.
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
                config.s3().endpoint().ifPresent(builder::endpointOverride);
                yield new S3BlobStore(builder.build(), bucket, config.s3().partSize(), true);
            }
        };
    }
}
