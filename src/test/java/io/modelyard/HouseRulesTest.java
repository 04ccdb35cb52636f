package io.modelyard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of the house that can be read off the source (docs/architecture.md): no import cycle between
 * packages, and one owner per table. Each failure names the files or packages that broke the rule. (The
 * engine's boundary — DJL only in ml/, no HTTP errors in the engine — is EngineBoundaryTest's.)
 */
class HouseRulesTest {

    private static final Path MAIN = Path.of("src/main/java/io/modelyard");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    @Test
    void featurePackagesFormNoCycle() {
        assertEquals(List.of(), cycleIn(arrows(1)), "a cycle between feature packages");
    }

    @Test
    void billingRoomsFormNoCycle() {
        Map<String, Set<String>> rooms = new TreeMap<>();
        arrows(2).forEach((from, to) -> {
            if (from.startsWith("billing")) {
                rooms.put(from, new TreeSet<>(to.stream().filter(name -> name.startsWith("billing")).toList()));
            }
        });
        assertEquals(List.of(), cycleIn(rooms), "a cycle between billing's rooms");
    }

    @Test
    void onlyJobTouchesTheJobTables() {
        assertNone(filesMatching(Pattern.compile("(?i)\\b(from|join|update|into)\\s+job(s|_events)\\b\\s"))
                .stream().filter(file -> !file.feature().equals("job")), "query the jobs tables outside job/");
    }

    @Test
    void onlyTenantWritesTheTenantsTable() {
        assertNone(filesMatching(Pattern.compile("(?i)\\b(update|insert\\s+into|delete\\s+from)\\s+tenants\\b"))
                .stream().filter(file -> !file.feature().equals("tenant")), "write the tenants table outside tenant/");
    }

    private static void assertNone(Stream<SourceFile> offenders, String rule) {
        assertEquals(List.of(), offenders.map(file -> file.path().toString()).toList(), "files that " + rule);
    }

    /** Package → the packages it imports, at the given depth below io.modelyard (1: features, 2: rooms). */
    private static Map<String, Set<String>> arrows(int depth) {
        Map<String, Set<String>> arrows = new TreeMap<>();
        sources().forEach(file -> {
            String from = file.packageAt(depth);
            Set<String> to = arrows.computeIfAbsent(from, key -> new TreeSet<>());
            for (String name : file.imports()) {
                if (name.startsWith("io.modelyard.")) {
                    String target = packageAt(name.substring("io.modelyard.".length()).split("\\."), depth, true);
                    if (!target.equals(from)) {
                        to.add(target);
                    }
                }
            }
        });
        return arrows;
    }

    /** A cycle as the list of packages on it, or an empty list. */
    private static List<String> cycleIn(Map<String, Set<String>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = visit(start, graph, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Deque<String> path,
            Set<String> done) {
        if (path.contains(node)) {
            List<String> cycle = new ArrayList<>(path);
            java.util.Collections.reverse(cycle);
            cycle = new ArrayList<>(cycle.subList(cycle.indexOf(node), cycle.size()));
            cycle.add(node);
            return cycle;
        }
        if (!done.add(node)) {
            return List.of();
        }
        path.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = visit(next, graph, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.pop();
        return List.of();
    }

    private static List<SourceFile> filesMatching(Pattern pattern) {
        return sources().filter(file -> pattern.matcher(file.text()).find()).toList();
    }

    private static Stream<SourceFile> sources() {
        try (Stream<Path> paths = Files.walk(MAIN)) {
            return paths.filter(path -> path.toString().endsWith(".java")).map(SourceFile::read).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts a package (or a class name, whose last part is dropped) to {@code depth} parts. */
    private static String packageAt(String[] parts, int depth, boolean lastIsClass) {
        int packageParts = lastIsClass ? parts.length - 1 : parts.length;
        // A nested class import (common.ProblemException.FieldError) still names a class: stop at a capital.
        for (int i = 0; i < packageParts; i++) {
            if (Character.isUpperCase(parts[i].charAt(0))) {
                packageParts = i;
                break;
            }
        }
        return String.join(".", List.of(parts).subList(0, Math.min(depth, packageParts)));
    }

    private record SourceFile(Path path, String text, List<String> imports) {

        static SourceFile read(Path path) {
            try {
                String text = Files.readString(path);
                List<String> imports = new ArrayList<>();
                Matcher matcher = IMPORT.matcher(text);
                while (matcher.find()) {
                    imports.add(matcher.group(1));
                }
                return new SourceFile(path, text, imports);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String feature() {
            return packageAt(1);
        }

        String packageAt(int depth) {
            String[] parts = MAIN.relativize(path).toString().split("/");
            return HouseRulesTest.packageAt(parts, depth, true);
        }
    }
}
