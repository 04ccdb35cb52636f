package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "jobs", description = "List, follow and cancel jobs (training, batch predictions)",
        subcommands = {JobsCommand.List.class, JobsCommand.Follow.class, JobsCommand.Cancel.class})
final class JobsCommand {

    @Command(name = "list", description = "List jobs, newest first")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--state") String state;
        @Option(names = "--type") String type;
        @Option(names = "--limit", defaultValue = "20") int limit;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            StringBuilder path = new StringBuilder("/v1/jobs?limit=" + limit);
            if (state != null) {
                path.append("&state=").append(Paths.segment(state));
            }
            if (type != null) {
                path.append("&type=").append(Paths.segment(type));
            }
            JsonNode page = root.api().get(path.toString());
            if (root.json) {
                root.printJson(page);
                return ExitCodes.OK;
            }
            Table table = new Table("JOB", "TYPE", "STATE", "PROGRESS", "CREATED", "FINISHED");
            for (JsonNode j : page.path("data")) {
                table.row(j.path("id").asText(), j.path("type").asText(), j.path("state").asText(),
                        Math.round(j.path("progress").asDouble()) + "%", j.path("created_at").asText(),
                        j.path("finished_at").asText(""));
            }
            table.print(root.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "follow", description = "Follow a job's progress and events until it ends")
    static final class Follow implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "JOB") String id;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            return TrainCommand.finish(root, new JobFollower(root).follow(id));
        }
    }

    @Command(name = "cancel", description = "Cancel a job: a queued one at once, a running one within seconds")
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "JOB") String id;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            JsonNode job = root.api().post("/v1/jobs/" + Paths.segment(id) + "/cancel", java.util.Map.of());
            if (root.json) {
                root.printJson(job);
            } else {
                root.out.println(job.path("id").asText() + ": " + job.path("state").asText());
            }
            return ExitCodes.OK;
        }
    }
}
