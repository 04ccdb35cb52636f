package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code modelyard}: the command-line client. It talks to a Modelyard service over its public HTTP API only
 * (it shares no code with the server and never runs inside it), so whatever it does a script with curl could do.
 */
@Command(name = "modelyard", mixinStandardHelpOptions = true, version = "modelyard 0.1.0",
        description = "Train, evaluate and call your own models on Modelyard.",
        subcommands = {LoginCommand.class, LoginCommand.Logout.class, LoginCommand.WhoAmI.class,
                DatasetsCommand.class, TrainCommand.class, JobsCommand.class, ModelsCommand.class,
                PredictCommand.class, BatchCommand.class, UsageCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Environment: MODELYARD_URL, MODELYARD_API_KEY, MODELYARD_TENANT, MODELYARD_ISSUER,"
                + " MODELYARD_CONFIG_DIR.",
                "Exit codes: 0 ok, 1 error, 2 usage, 3 not signed in or not allowed, 4 not found, 5 input refused,"
                + " 6 quota or rate limit, 7 job failed or cancelled, 8 service unavailable."})
public final class Modelyard {

    static final String DEFAULT_URL = "http://localhost:8080";
    static final String DEFAULT_ISSUER = "http://localhost:8180/realms/modelyard";

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The Modelyard service (default: $MODELYARD_URL, the URL you logged in to, or "
                    + DEFAULT_URL + ")")
    String url;

    @Option(names = "--tenant", scope = ScopeType.INHERIT, paramLabel = "TENANT",
            description = "The tenant to act in, for people in several ($MODELYARD_TENANT)")
    String tenant;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the service's JSON answer instead of tables (for scripts)")
    boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress bars")
    boolean quiet;

    final ObjectMapper mapper = new ObjectMapper();
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    private Credentials credentials;
    private Api api;

    public static void main(String[] args) {
        Modelyard root = new Modelyard();
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> root.fail(e));
        System.exit(cli.execute(args));
    }

    Credentials credentials() {
        if (credentials == null) {
            credentials = Credentials.load(mapper);
        }
        return credentials;
    }

    Api api() {
        if (api == null) {
            api = new Api(serviceUrl(), firstOf(tenant, System.getenv("MODELYARD_TENANT"), credentials().text("tenant")),
                    new Auth(System.getenv("MODELYARD_API_KEY"), credentials(), mapper), mapper);
        }
        return api;
    }

    String serviceUrl() {
        return firstOf(url, System.getenv("MODELYARD_URL"), credentials().text("url"), DEFAULT_URL);
    }

    /** Prints a JSON answer as is (pretty), for {@code --json}. */
    void printJson(JsonNode node) {
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ProgressBar progress(String label) {
        return new ProgressBar(err, out, !quiet, label);
    }

    private int fail(Exception e) {
        if (e instanceof ApiException api) {
            if (json && api.problem() != null) {
                printJson(api.problem());
            }
            err.println("modelyard: " + api.getMessage());
            return api.exitCode();
        }
        if (e instanceof CliFailure failure) {
            err.println("modelyard: " + failure.getMessage());
            return failure.exitCode();
        }
        if (e instanceof DeviceLogin.LoginFailed failed) {
            err.println("modelyard: sign-in failed: " + failed.getMessage());
            return ExitCodes.AUTH;
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            err.println("modelyard: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        err.println("modelyard: unexpected error: " + e);
        return ExitCodes.ERROR;
    }

    static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** A failure the CLI itself decides, with its exit code. */
    static final class CliFailure extends RuntimeException {
        private final int exitCode;

        CliFailure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
