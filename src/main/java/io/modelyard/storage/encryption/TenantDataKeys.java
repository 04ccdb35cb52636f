package io.modelyard.storage.encryption;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.modelyard.common.CommitNotifications;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Tenants' data keys: made on a tenant's first encrypted write, unwrapped by the master key on first use and then
 * held in memory (bounded, for {@code modelyard.encryption.key-cache-ttl} at most), and destroyed when the tenant
 * is erased. Destroying notifies every process ({@link DataKeyInvalidations}), which forgets the key at once.
 */
@ApplicationScoped
public class TenantDataKeys {

    static {
        try {
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TenantDataKeyRepository repository;
    private final MasterKey masterKey;
    private final TenantContext context;
    private final CommitNotifications notifications;
    private final Cache<String, State> cache;
    private final SecureRandom random = new SecureRandom();

    TenantDataKeys(TenantDataKeyRepository repository, MasterKey masterKey, TenantContext context,
            CommitNotifications notifications, EncryptionConfig config) {
        this.repository = repository;
        this.masterKey = masterKey;
        this.context = context;
        this.notifications = notifications;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.keyCacheSize())
                .expireAfterWrite(config.keyCacheTtl())
                .build();
    }

    /**
     * Crypto-shredding: erases {@code tenantId}'s wrapped data key and marks it destroyed, in the caller's
     * transaction. Once that commits, every process forgets the key: the tenant's encrypted blobs (and every copy
     * or backup of them) can no longer be read, reading one throws {@link DataKeyDestroyedException}, and nothing
     * more is written for the tenant. Idempotent; a tenant that never wrote gets a destroyed marker all the same.
     * Operator mode only (a platform sweeper, {@code TenantScope.callAsPlatform}, or an operator request).
     *
     * <p>The wrapped key stays in database backups and write-ahead logs taken before, until they expire.
     *
     * @return whether a live data key was destroyed now
     */
    @Transactional
    public boolean destroy(String tenantId) {
        if (!context.operatorMode()) {
            throw new IllegalStateException("Destroying a tenant's data key takes operator mode");
        }
        boolean destroyed = repository.destroy(tenantId, newKeyId());
        notifications.send(DataKeyInvalidations.CHANNEL, tenantId, () -> forget(tenantId));
        return destroyed;
    }

    /** The key to encrypt a new blob of {@code tenantId} with, made and stored on the tenant's first write. */
    TenantDataKey forWriting(String tenantId) {
        State state = cache.get(tenantId, this::loadOrCreate);
        if (state.destroyed()) {
            throw new DataKeyDestroyedException(tenantId, null);
        }
        return state.key();
    }

    /** The key that encrypted {@code blobKey}, which names data key {@code keyId} of {@code tenantId}. */
    TenantDataKey forReading(String tenantId, long keyId, String blobKey) {
        State state = cache.get(tenantId, this::load);
        if (state.destroyed()) {
            throw new DataKeyDestroyedException(tenantId, blobKey);
        }
        if (state.key().keyId() != keyId) {
            throw new DataKeyUnavailableException("Blob " + blobKey + " was encrypted under data key " + keyId
                    + ", which tenant " + tenantId + " does not have");
        }
        return state.key();
    }

    void forget(String tenantId) {
        cache.invalidate(tenantId);
    }

    void forgetAll() {
        cache.invalidateAll();
    }

    /** What the master key wraps a data key with: a wrapped key moved to another tenant's row does not unwrap. */
    static byte[] associatedData(String tenantId, long keyId) {
        return ("modelyard tenant data key " + tenantId + " " + keyId).getBytes(StandardCharsets.UTF_8);
    }

    private State load(String tenantId) {
        StoredDataKey stored = repository.find(tenantId).orElseThrow(() -> new DataKeyUnavailableException(
                "Tenant " + tenantId + " has encrypted blobs but no data key"));
        return unwrap(stored);
    }

    private State loadOrCreate(String tenantId) {
        StoredDataKey stored = repository.find(tenantId).orElseGet(() -> repository.insertIfAbsent(create(tenantId)));
        return unwrap(stored);
    }

    private StoredDataKey create(String tenantId) {
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(EncryptedBlobFormat.dataKeyParameters());
            byte[] plain = TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
            long keyId = newKeyId();
            byte[] wrapped = masterKey.wrap(plain, associatedData(tenantId, keyId));
            return new StoredDataKey(tenantId, keyId, wrapped, masterKey.currentKeyId(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a data key", e);
        }
    }

    private State unwrap(StoredDataKey stored) {
        if (stored.destroyed()) {
            return new State(null);
        }
        try {
            byte[] plain = masterKey.unwrap(stored.wrappedKey(), associatedData(stored.tenantId(), stored.keyId()));
            StreamingAead aead = TinkProtoKeysetFormat.parseKeyset(plain, InsecureSecretKeyAccess.get())
                    .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
            return new State(new TenantDataKey(stored.tenantId(), stored.keyId(), aead));
        } catch (GeneralSecurityException e) {
            throw new DataKeyUnavailableException("The master key cannot unwrap the data key of tenant "
                    + stored.tenantId() + " (wrapped by master key " + stored.masterKeyId()
                    + "): is modelyard.encryption.master-key-file the keyset it was made with?", e);
        }
    }

    private long newKeyId() {
        return random.nextLong() & Long.MAX_VALUE;
    }

    /** A cached look-up: the live key, or none once destroyed (so reads after erasure fail without a query). */
    private record State(TenantDataKey key) {

        boolean destroyed() {
            return key == null;
        }
    }
}
