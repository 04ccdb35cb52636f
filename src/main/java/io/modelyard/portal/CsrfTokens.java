package io.modelyard.portal;

import io.modelyard.common.PlatformConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * CSRF tokens for the portal, after OWASP's HMAC-based token pattern: the token is an HMAC, under the portal
 * secret, of the Keycloak session the person signed in with. It needs no storage, is the same in every tab and
 * on every replica, survives token refreshes, and changes with every sign-in. A cross-site page cannot read
 * it, so it cannot send it.
 */
@ApplicationScoped
public class CsrfTokens {

    public static final String HEADER = "X-CSRF-Token";
    private static final Logger LOG = Logger.getLogger(CsrfTokens.class);

    private final SecretKeySpec key;

    CsrfTokens(PortalConfig config, PlatformConfig platform) {
        byte[] secret = config.secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            if (platform.role().servesPublicApi() && LaunchMode.current() == LaunchMode.NORMAL) {
                LOG.warn("modelyard.portal.secret (MODELYARD_PORTAL_SECRET) is not set: this process made its own. "
                        + "Portal sessions end when it stops and do not carry over to other API replicas.");
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The token for the signed-in person of {@code identity}; empty for anonymous requests. */
    public Optional<String> tokenFor(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        // Keycloak's "sid" names the sign-in; auth_time stands in for providers without it.
        Object session = Optional.ofNullable((Object) jwt.getClaim("sid")).orElse(jwt.getClaim("auth_time"));
        return Optional.of(hmac("csrf|" + jwt.getSubject() + "|" + session));
    }

    /** Whether {@code offered} is this person's token (compared in constant time). */
    public boolean matches(SecurityIdentity identity, String offered) {
        return offered != null && tokenFor(identity)
                .map(expected -> MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        offered.getBytes(StandardCharsets.US_ASCII)))
                .orElse(false);
    }

    private String hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
