package io.modelyard.auth;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.PlatformProcess;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The api role does not wait for the OpenID provider, nor even call it, during start-up: it goes ready while
 * Keycloak is unreachable, refuses tokens while it stays so, and authenticates people's tokens once Keycloak
 * answers. Keycloak itself is shared by every test, so "unreachable" is a port where a listener counts and drops
 * every connection, later a plain TCP relay to the real Keycloak.
 */
class KeycloakAfterStartIT {

    @Test
    void theApiGoesReadyWithoutKeycloakAndAuthenticatesOnceItAnswers() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String realm = "http://localhost:" + port + "/realms/modelyard";
        Instant started = Instant.now();
        Dropper unreachable = new Dropper(port);
        try (PlatformProcess api = PlatformProcess.start("api", Map.of("quarkus.oidc.auth-server-url", realm))) {
            try (unreachable) {
                api.awaitReady(Duration.ofSeconds(120));
                assertEquals(0, unreachable.connections(), "start-up called the provider:\n" + api.output());
                RestAssured.get(api.url("/v1/ping")).then().statusCode(200);

                // A token arriving while the provider is down cannot be checked: 503 with Retry-After, not a 500
                // (nor a 401 telling a client its good token is bad); that request made the api call the
                // provider, the next one will again.
                RestAssured.given().header("Authorization", "Bearer not-a-token").get(api.url("/v1/tenants"))
                        .then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", notNullValue())
                        .body("type", endsWith("/identity-provider-unavailable"));
                assertTrue(unreachable.connections() > 0, "the first token did not make the api call the provider");
                // A person opening the portal meanwhile reads that sign-in is unavailable, on a page.
                RestAssured.given().redirects().follow(false).get(api.url("/portal/")).then().statusCode(503)
                        .contentType(containsString("text/html"))
                        .body(containsString("The sign-in service cannot be reached right now"));
            }

            try (Relay relay = new Relay(port, URI.create(Keycloak.URL))) {
                String token = token(realm);
                awaitStatus(api.url("/v1/tenants"), token, 200, Duration.ofSeconds(30));
                assertEquals(401, RestAssured.given().header("Authorization", "Bearer not-a-token")
                        .get(api.url("/v1/tenants")).statusCode());
            }
        }
        System.out.println("api role ready without Keycloak, then authenticated, in "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
    }

    /** The demo user's access token, asked through the relay so its issuer is the URL the api role knows. */
    private static String token(String realm) throws IOException {
        String body = RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", "modelyard-cli")
                .formParam("username", "demo").formParam("password", "demo")
                .post(realm + "/protocol/openid-connect/token").then().statusCode(200).extract().asString();
        return new ObjectMapper().readTree(body).get("access_token").asText();
    }

    private static void awaitStatus(String url, String token, int expected, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int status;
        do {
            status = RestAssured.given().header("Authorization", "Bearer " + token).get(url).statusCode();
            if (status == expected) {
                return;
            }
            sleep(500);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(url + " answered " + status + ", not " + expected);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts and at once closes every connection to a port on localhost, counting them: a provider that is down. */
    private static final class Dropper implements AutoCloseable {

        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();

        Dropper(int port) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "keycloak-dropper");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Relays every connection to a port on localhost to the target, byte for byte. */
    private static final class Relay implements AutoCloseable {

        private final ServerSocket server;

        Relay(int port, URI target) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket(target.getHost(), target.getPort());
                        pipe(client.getInputStream(), upstream.getOutputStream(), upstream);
                        pipe(upstream.getInputStream(), client.getOutputStream(), client);
                    } catch (IOException e) {
                        // closed, or Keycloak refused: the api's request fails and it tries again later
                    }
                }
            }, "keycloak-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void pipe(InputStream in, OutputStream out, Socket closeAfter) {
            Thread thread = new Thread(() -> {
                try (closeAfter) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the other side closed
                }
            }, "keycloak-relay-pipe");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
