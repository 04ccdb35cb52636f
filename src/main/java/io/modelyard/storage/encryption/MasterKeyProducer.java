package io.modelyard.storage.encryption;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.storage.StorageConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The master key from {@code modelyard.encryption.master-key-file}. Development and tests, where nobody should
 * have to make one, generate it next to the blob directory (outside the source tree's tracked files: {@code data/}
 * and {@code target/} are ignored), so it lives exactly as long as the blobs it protects. Production refuses to
 * start without one: a generated key would be lost with the pod, and every tenant's data with it.
 */
@ApplicationScoped
public class MasterKeyProducer {

    private static final Logger LOG = Logger.getLogger(MasterKeyProducer.class);
    static final String GENERATED_FILE = "master-key.dev.json";

    @Produces
    @ApplicationScoped
    MasterKey masterKey(EncryptionConfig encryption, StorageConfig storage) {
        if (encryption.masterKeyFile().filter(f -> !f.isBlank()).isPresent()) {
            return KeysetFileMasterKey.read(Path.of(encryption.masterKeyFile().get()));
        }
        if (!LaunchMode.current().isDevOrTest()) {
            throw new IllegalStateException("modelyard.encryption.master-key-file is not set: production needs a master"
                    + " key (a Tink AES256_GCM keyset, see the README \"Encryption at rest\"), or"
                    + " modelyard.encryption.enabled=false to store new blobs unencrypted");
        }
        Path file = Path.of(storage.dir()).toAbsolutePath().normalize().getParent().resolve(GENERATED_FILE);
        LOG.infof("No modelyard.encryption.master-key-file: using the %s master key %s", LaunchMode.current(), file);
        return KeysetFileMasterKey.readOrGenerate(file);
    }

    /** Fails the start, not the first upload, when encryption is on and the master key is missing or unreadable. */
    void checkAtStart(@Observes StartupEvent event, EncryptionConfig encryption, PlatformConfig platform,
            MasterKey masterKey) {
        if (encryption.enabled() && platform.role() != DeploymentRole.MIGRATE) {
            LOG.infof("Encryption at rest on; master key %s", masterKey.currentKeyId());
        }
    }
}
