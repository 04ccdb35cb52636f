package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "models", description = "The model registry: list, show the evaluation, move aliases",
        subcommands = {ModelsCommand.List.class, ModelsCommand.Show.class, ModelsCommand.Alias.class})
final class ModelsCommand {

    @Command(name = "list", description = "List models, newest first")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", description = "Only this model's versions") String name;
        @Option(names = "--limit", defaultValue = "20") int limit;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            JsonNode page = root.api().get("/v1/models?limit=" + limit
                    + (name == null ? "" : "&name=" + Paths.segment(name)));
            if (root.json) {
                root.printJson(page);
                return ExitCodes.OK;
            }
            Table table = new Table("MODEL", "NAME", "VERSION", "TASK", "ARCHITECTURE", "SCORE", "ALIASES", "CREATED");
            for (JsonNode m : page.path("data")) {
                java.util.List<String> aliases = new ArrayList<>();
                m.path("aliases").forEach(a -> aliases.add(a.asText()));
                table.row(m.path("id").asText(), m.path("name").asText(), m.path("version").asText(),
                        m.path("task").asText(), m.path("architecture").asText(), score(m.path("evaluation")),
                        String.join(",", aliases), m.path("created_at").asText());
            }
            table.print(root.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show a model (id or alias): its evaluation on the held-out test split,"
            + " per class, and the confusion matrix")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL") String id;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            JsonNode m = get(root, id);
            if (root.json) {
                root.printJson(m);
                return ExitCodes.OK;
            }
            root.out.printf("Model %s: %s v%s (%s, %s)%n", m.path("id").asText(), m.path("name").asText(),
                    m.path("version").asText(), m.path("task").asText(), m.path("architecture").asText());
            root.out.printf("Trained by %s on %s; aliases: %s%n", m.path("training_job_id").asText(),
                    m.path("dataset_version_id").asText(), m.path("aliases").size() == 0 ? "none"
                            : m.path("aliases").toString());
            JsonNode training = m.path("training");
            if (!training.isMissingNode()) {
                root.out.printf("Training: %s epochs on %s, best epoch %s%s%n", training.path("epochs_run").asText("?"),
                        training.path("device").asText("?"), training.path("best_epoch").asText("?"),
                        training.path("early_stopped").asBoolean() ? " (stopped early)" : "");
            }
            printEvaluation(root, m.path("evaluation"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "alias", description = "Point an alias (e.g. production) at a model, or list aliases")
    static final class Alias implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ALIAS") String alias;
        @Parameters(index = "1", arity = "0..1", paramLabel = "MODEL") String model;
        @Option(names = "--delete", description = "Remove the alias") boolean delete;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            JsonNode answer;
            if (alias == null) {
                answer = root.api().get("/v1/model-aliases");
                if (!root.json) {
                    Table table = new Table("ALIAS", "MODEL", "UPDATED");
                    answer.path("data").forEach(a -> table.row(a.path("alias").asText(a.path("name").asText()),
                            a.path("model_id").asText(), a.path("updated_at").asText("")));
                    table.print(root.out);
                    return ExitCodes.OK;
                }
            } else if (delete) {
                root.api().delete("/v1/model-aliases/" + Paths.segment(alias));
                root.out.println(root.json ? "{}" : "Removed alias " + alias);
                return ExitCodes.OK;
            } else {
                if (model == null) {
                    throw new Modelyard.CliFailure(ExitCodes.USAGE, "name the model the alias should point at");
                }
                answer = root.api().put("/v1/model-aliases/" + Paths.segment(alias), Map.of("model_id", model));
                if (!root.json) {
                    root.out.println(alias + " → " + answer.path("model_id").asText());
                    return ExitCodes.OK;
                }
            }
            root.printJson(answer);
            return ExitCodes.OK;
        }
    }

    /** A model by id, or by alias (the registry's GET takes ids; aliases are looked up among the tenant's). */
    static JsonNode get(Modelyard root, String idOrAlias) {
        String id = idOrAlias;
        if (!idOrAlias.startsWith("mdl_")) {
            for (JsonNode a : root.api().get("/v1/model-aliases").path("data")) {
                if (idOrAlias.equals(a.path("alias").asText())) {
                    id = a.path("model_id").asText();
                }
            }
        }
        return root.api().get("/v1/models/" + Paths.segment(id));
    }

    static String score(JsonNode evaluation) {
        JsonNode c = evaluation.path("classification");
        if (!c.isMissingNode()) {
            return String.format(Locale.ROOT, "acc %.3f", c.path("accuracy").asDouble());
        }
        JsonNode r = evaluation.path("regression");
        if (!r.isMissingNode()) {
            return String.format(Locale.ROOT, "r2 %.3f", r.path("r2").asDouble());
        }
        return "";
    }

    static void printEvaluation(Modelyard root, JsonNode evaluation) {
        JsonNode c = evaluation.path("classification");
        if (!c.isMissingNode()) {
            root.out.printf("%nTest split: %s rows; accuracy %s; macro F1 %s; micro F1 %s%n%n",
                    c.path("support").asText(), f(c.path("accuracy")), f(c.path("macro").path("f1")),
                    f(c.path("micro").path("f1")));
            Table perClass = new Table("CLASS", "PRECISION", "RECALL", "F1", "SUPPORT");
            for (JsonNode k : c.path("per_class")) {
                perClass.row(k.path("label").asText(), f(k.path("precision")), f(k.path("recall")), f(k.path("f1")),
                        k.path("support").asText());
            }
            perClass.row("macro avg", f(c.path("macro").path("precision")), f(c.path("macro").path("recall")),
                    f(c.path("macro").path("f1")), c.path("support").asText());
            perClass.row("weighted avg", f(c.path("weighted").path("precision")), f(c.path("weighted").path("recall")),
                    f(c.path("weighted").path("f1")), c.path("support").asText());
            perClass.print(root.out);
            JsonNode matrix = c.path("confusion_matrix");
            java.util.List<String> header = new ArrayList<>();
            header.add("actual \\ predicted");
            matrix.path("labels").forEach(l -> header.add(l.asText()));
            Table confusion = new Table(header);
            int i = 0;
            for (JsonNode row : matrix.path("counts")) {
                java.util.List<String> cells = new ArrayList<>();
                cells.add(matrix.path("labels").path(i++).asText());
                row.forEach(n -> cells.add(n.asText()));
                confusion.row(cells);
            }
            root.out.println("\nConfusion matrix (rows: actual label, columns: predicted):");
            confusion.print(root.out);
            return;
        }
        JsonNode r = evaluation.path("regression");
        if (!r.isMissingNode()) {
            root.out.printf("%nTest split: MSE %s, MAE %s, R² %s%n", f(r.path("mse")), f(r.path("mae")), f(r.path("r2")));
        }
    }

    private static String f(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "";
    }
}
