package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code modelyard login}: the device flow in a browser, or an API key read from standard input. */
@Command(name = "login", description = {"Sign in: shows a URL and a code to approve in a browser (OAuth device flow"
        + " against Keycloak).", "With --with-api-key, stores an API key read from standard input instead.",
        "Commands also use $MODELYARD_API_KEY when it is set, without logging in."})
final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "The Keycloak realm (default: $MODELYARD_ISSUER or " + Modelyard.DEFAULT_ISSUER + ")")
    String issuer;

    @Option(names = "--client-id", description = "The Keycloak client (default: modelyard-cli)")
    String clientId;

    @Option(names = "--with-api-key", description = "Read an API key (myd_live_…) from standard input and store it")
    boolean withApiKey;

    @Override
    public Integer call() throws IOException {
        Modelyard root = (Modelyard) spec.root().userObject();
        Credentials credentials = root.credentials();
        credentials.put("url", root.serviceUrl());
        if (root.tenant != null) {
            credentials.put("tenant", root.tenant);
        }
        if (withApiKey) {
            String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (key == null || key.isBlank()) {
                throw new Modelyard.CliFailure(ExitCodes.USAGE, "no API key on standard input");
            }
            credentials.clearSecrets().put("api_key", key.trim());
        } else {
            String realm = Modelyard.firstOf(issuer, System.getenv("MODELYARD_ISSUER"), credentials.text("issuer"),
                    Modelyard.DEFAULT_ISSUER);
            String client = Modelyard.firstOf(clientId, credentials.text("client_id"), DeviceLogin.DEFAULT_CLIENT);
            JsonNode tokens = new DeviceLogin(realm, client, root.mapper).login(root.err);
            credentials.clearSecrets().put("issuer", realm).put("client_id", client);
            DeviceLogin.store(credentials, tokens);
            credentials.put("username", claim(tokens.path("access_token").asText(), "preferred_username"));
        }
        credentials.save(root.mapper);
        // Proves the credentials work against the service, and shows where they lead.
        JsonNode tenants = root.api().get("/v1/tenants");
        if (root.json) {
            root.printJson(tenants);
        } else {
            root.out.println("Logged in to " + root.serviceUrl() + (credentials.text("username") == null ? ""
                    : " as " + credentials.text("username")) + "; credentials in " + credentials.file());
            printTenants(root, tenants);
        }
        return ExitCodes.OK;
    }

    static void printTenants(Modelyard root, JsonNode tenants) {
        Table table = new Table("TENANT", "NAME", "ROLE");
        for (JsonNode t : tenants.path("data")) {
            table.row(t.path("id").asText(), t.path("name").asText(), t.path("role").asText(""));
        }
        if (table.isEmpty()) {
            root.out.println("You belong to no tenant yet: create one with curl -X POST .../v1/tenants or the portal.");
        } else {
            table.print(root.out);
        }
    }

    private static String claim(String jwt, String name) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.hasNonNull(name) ? claims.get(name).asText() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Command(name = "logout", description = "Forget the stored credentials")
    static final class Logout implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            root.credentials().clearSecrets().save(root.mapper);
            root.out.println("Logged out (" + root.credentials().file() + " keeps no secret).");
            return ExitCodes.OK;
        }
    }

    @Command(name = "whoami", description = "Show how you are signed in and your tenants")
    static final class WhoAmI implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            Auth auth = new Auth(System.getenv("MODELYARD_API_KEY"), root.credentials(), root.mapper);
            JsonNode tenants = root.api().get("/v1/tenants");
            if (root.json) {
                root.printJson(tenants);
                return ExitCodes.OK;
            }
            root.out.println(root.serviceUrl() + ": " + auth.describe());
            printTenants(root, tenants);
            return ExitCodes.OK;
        }
    }
}
