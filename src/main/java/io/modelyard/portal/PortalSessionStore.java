package io.modelyard.portal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.oidc.AuthorizationCodeTokens;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenStateManager;
import io.quarkus.oidc.runtime.CodeAuthenticationMechanism;
import io.quarkus.oidc.runtime.OidcUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keeps portal sign-ins on the server. The browser's session cookie holds a random 256-bit handle and nothing
 * else; the tokens (already encrypted with the portal secret by the OIDC extension) live in
 * {@code portal_sessions} under the handle's SHA-256. Signing out deletes the row, so a copied cookie is
 * worthless afterwards, and a token refresh replaces the row and the handle.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class PortalSessionStore implements TokenStateManager {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration DEFAULT_AGE = Duration.ofMinutes(30);

    private final AgroalDataSource dataSource;

    PortalSessionStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Uni<String> createTokenState(RoutingContext routing, OidcTenantConfig config,
            AuthorizationCodeTokens tokens, OidcRequestContext<String> blocking) {
        String previous = handleOf(routing, config);
        Long maxAge = routing.get(CodeAuthenticationMechanism.SESSION_MAX_AGE_PARAM);
        Instant now = Instant.now();
        Instant expires = now.plus(maxAge == null ? DEFAULT_AGE : Duration.ofSeconds(maxAge));
        return blocking.runBlocking(() -> {
            String handle = newHandle();
            try (Connection connection = dataSource.getConnection()) {
                if (previous != null) {
                    delete(connection, previous);
                }
                try (PreparedStatement insert = connection.prepareStatement("insert into portal_sessions (id, id_token, access_token, refresh_token, access_expires_in, access_scope, created_at,"
                        + " expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, digest(handle));
                    insert.setString(2, tokens.getIdToken());
                    insert.setString(3, tokens.getAccessToken());
                    insert.setString(4, tokens.getRefreshToken());
                    insert.setObject(5, tokens.getAccessTokenExpiresIn());
                    insert.setString(6, tokens.getAccessTokenScope());
                    insert.setTimestamp(7, Timestamp.from(now));
                    insert.setTimestamp(8, Timestamp.from(expires));
                    insert.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not keep the portal session", e);
            }
            return handle;
        });
    }

    @Override
    public Uni<AuthorizationCodeTokens> getTokens(RoutingContext routing, OidcTenantConfig config, String handle,
            OidcRequestContext<AuthorizationCodeTokens> blocking) {
        return blocking.runBlocking(() -> {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement("select id_token, access_token,"
                         + " refresh_token, access_expires_in, access_scope from portal_sessions"
                         + " where id = ? and expires_at > now()")) {
                select.setString(1, digest(handle));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        // Signed out, expired or never ours: the OIDC mechanism sends the person to sign in again.
                        throw new io.quarkus.security.AuthenticationFailedException("No such portal session");
                    }
                    long expiresIn = row.getLong(4);
                    return new AuthorizationCodeTokens(row.getString(1), row.getString(2), row.getString(3),
                            row.wasNull() ? null : expiresIn, row.getString(5));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read the portal session", e);
            }
        });
    }

    @Override
    public Uni<Void> deleteTokens(RoutingContext routing, OidcTenantConfig config, String handle,
            OidcRequestContext<Void> blocking) {
        return blocking.runBlocking(() -> {
            try (Connection connection = dataSource.getConnection()) {
                delete(connection, handle);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not end the portal session", e);
            }
            return null;
        });
    }

    /** Deletes sessions past their expiry; returns how many. */
    int deleteExpired() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "delete from portal_sessions where expires_at <= now()")) {
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not sweep portal sessions", e);
        }
    }

    private static void delete(Connection connection, String handle) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from portal_sessions where id = ?")) {
            delete.setString(1, digest(handle));
            delete.executeUpdate();
        }
    }

    private static String handleOf(RoutingContext routing, OidcTenantConfig config) {
        Cookie cookie = routing.request().getCookie(OidcUtils.getSessionCookieName(config));
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static String newHandle() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String digest(String handle) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(handle.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
