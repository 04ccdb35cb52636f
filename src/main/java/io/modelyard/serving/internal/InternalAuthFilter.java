package io.modelyard.serving.internal;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /internal/...}: served only by worker processes — an {@code all} process predicts in-process and
 * keeps its public port free of internal endpoints — and only to callers that present the shared secret {@code modelyard.internal.token} in the
 * {@value #HEADER} header. The comparison is of SHA-256 digests with {@link MessageDigest#isEqual}, so its
 * time tells nothing of the secret, not even its length. Unset secret: every call is refused.
 */
public class InternalAuthFilter {

    public static final String HEADER = "Modelyard-Internal-Token";
    static final String PREFIX = "/internal/";

    private final PlatformConfig platform;
    private final InternalConfig config;

    InternalAuthFilter(PlatformConfig platform, InternalConfig config) {
        this.platform = platform;
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public void authenticateInternalCalls(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(PREFIX)) {
            return;
        }
        if (platform.role() != DeploymentRole.WORKER) {
            throw new ProblemException(404, "not-served-here", "Not found",
                    "This process runs the '" + platform.role().name().toLowerCase()
                            + "' role and serves no internal endpoints.");
        }
        String expected = config.token().filter(t -> !t.isBlank()).orElse(null);
        if (expected == null) {
            throw ProblemException.forbidden("internal-token-unset",
                    "Internal calls are refused: modelyard.internal.token is not set on this process.");
        }
        if (!matches(request.getHeaderString(HEADER), expected)) {
            throw new ProblemException(401, "internal-unauthenticated", "Unauthenticated",
                    "Internal calls need the shared secret in the " + HEADER + " header.", Map.of(), Map.of());
        }
    }

    static boolean matches(String offered, String expected) {
        if (offered == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(offered), sha256(expected));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
