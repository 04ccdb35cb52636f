package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.modelyard.deploy.ParsedManifests.Doc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine here, so the images are never built in CI: this keeps the Dockerfiles
 * consistent with the manifests that run them and with the versions pom.xml pins.
 */
class DockerfilesTest {

    private static final Path DOCKER = Path.of("src", "main", "docker");

    /** One instruction of the final stage, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.worker-cuda"})
    void imagesServeOnTheManifestsPortAsTheManifestsUser(String dockerfile) {
        List<Instruction> stage = finalStage(dockerfile);
        List<String> exposed = all(stage, "EXPOSE");
        assertEquals(List.of(String.valueOf(Expect.HTTP_PORT)), exposed, dockerfile + ": EXPOSE");
        List<String> users = all(stage, "USER");
        assertTrue(!users.isEmpty(), dockerfile + ": no USER: the image would run as root");
        String user = users.get(users.size() - 1);
        // Numeric, so that the kubelet can verify runAsNonRoot against the image.
        assertTrue(user.matches("\\d+(:\\d+)?"), dockerfile + ": USER " + user + " is not numeric");
        assertEquals(Expect.defaults().runAsUser(), Integer.parseInt(user.split(":")[0]),
                dockerfile + ": USER differs from podSecurityContext.runAsUser");
        assertTrue(stage.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).anyMatch(i -> i.arguments().contains("-Dquarkus.http.host=0.0.0.0"))
                        || stage.stream().anyMatch(i -> i.keyword().equals("ENV") && i.arguments().contains("-Dquarkus.http.host=0.0.0.0")),
                dockerfile + ": Quarkus must listen on all interfaces in a container");
    }

    @Test
    void manifestsRunTheImagesOnTheirExposedPort() {
        for (Doc doc : Chart.render(Map.of())) {
            if (!doc.is("Deployment")) {
                continue;
            }
            for (Workloads.Pod pod : Workloads.pods(List.of(doc))) {
                for (Container container : pod.template().getSpec().getContainers()) {
                    assertEquals(List.of(Expect.HTTP_PORT), container.getPorts().stream().map(p -> p.getContainerPort()).toList(),
                            pod + ": container ports");
                }
            }
        }
    }

    @Test
    void defaultImagesAreTheOnesTheDockerfilesBuild() {
        Map<String, Object> values = Expect.values();
        String api = (String) Expect.map(Expect.map(values, "api"), "image").get("repository");
        String worker = (String) Expect.map(Expect.map(values, "worker"), "image").get("repository");
        assertTrue(read("Dockerfile.jvm").contains("-t " + api + ":"), "Dockerfile.jvm documents the build of " + api);
        assertTrue(read("Dockerfile.worker-cuda").contains("-t " + worker + ":"), "Dockerfile.worker-cuda documents the build of " + worker);
    }

    @Test
    void jvmImagesRunTheFastJarAndCacheOnTheWritableTmp() {
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.worker-cuda")) {
            String text = read(dockerfile);
            assertTrue(text.contains("target/quarkus-app/"), dockerfile + ": copies the fast-jar layout");
            assertTrue(text.contains("/deployments/quarkus-run.jar"), dockerfile + ": runs quarkus-run.jar");
            // The root filesystem is read-only in the manifests; /tmp is their emptyDir.
            assertEquals(Optional.of("/tmp/djl"), env(finalStage(dockerfile), "DJL_CACHE_DIR"), dockerfile + ": DJL_CACHE_DIR");
        }
        assertEquals(Optional.of("/tmp/djl"), env(finalStage("Dockerfile.jvm"), "ENGINE_CACHE_DIR"),
                "the JVM image extracts PyTorch's CPU libraries at run time: onto /tmp");
    }

    /**
     * The images that run the engine keep its freed memory in the process (README "Engine memory") with the
     * values dev/lib.sh gives the platform and the benchmarks, so what bench/train.sh measures is what they run.
     */
    @Test
    void engineImagesKeepFreedTensorMemoryAsTheBenchmarksDo() throws IOException {
        String devLib = Files.readString(Path.of("dev", "lib.sh"));
        for (String variable : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
                "MALLOC_TOP_PAD_")) {
            Matcher dev = Pattern.compile("export " + variable + "=\"\\$\\{" + variable + ":-(\\d+)}\"").matcher(devLib);
            assertTrue(dev.find(), "dev/lib.sh exports " + variable + " with a default");
            for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.worker-cuda")) {
                assertEquals(Optional.of(dev.group(1)), env(finalStage(dockerfile), variable),
                        dockerfile + ": " + variable + " as dev/lib.sh sets it");
            }
        }
        // glibc ignores an mmap threshold above 32 MiB on 64-bit (HEAP_MAX_SIZE / 2), and with it the whole tuning.
        assertTrue(Long.parseLong(env(finalStage("Dockerfile.jvm"), "MALLOC_MMAP_THRESHOLD_").orElseThrow())
                <= 32L * 1024 * 1024, "MALLOC_MMAP_THRESHOLD_ within glibc's maximum");
    }

    @Test
    void cudaImageMatchesThePomsPyTorchAndCuda() {
        List<Instruction> all = instructions("Dockerfile.worker-cuda");
        String from = finalStage("Dockerfile.worker-cuda").get(0).arguments();
        assertTrue(from.matches("nvidia/cuda:12\\.4(\\.\\d+)?-.*runtime.*"), "CUDA 12.4 runtime base, not " + from);
        Document pom = pom();
        assertEquals(property(pom, "pytorch.version"), arg(all, "PYTORCH_VERSION"), "PyTorch version of the image and pom.xml");
        assertEquals(property(pom, "djl.version"), arg(all, "DJL_VERSION"), "DJL version of the image and pom.xml");
        String gpuArtifact = profileProperty(pom, "gpu", "pytorch.native.artifact");
        assertEquals("pytorch-native-" + arg(all, "PYTORCH_FLAVOR"), gpuArtifact, "CUDA flavour of the image and the gpu profile");
        String text = read("Dockerfile.worker-cuda");
        assertTrue(text.contains("./mvnw package -Pgpu"), "documents the gpu build");
        assertTrue(env(finalStage("Dockerfile.worker-cuda"), "PYTORCH_LIBRARY_PATH").orElse("").startsWith("/opt/djl/pytorch/"),
                "PYTORCH_LIBRARY_PATH points at the unpacked libraries");
    }

    @Test
    void nativeImageIsTheApiBuiltWithMandrelWithoutTheMlPackage() {
        String text = read("Dockerfile.native");
        assertTrue(text.contains("-Dquarkus.native.builder-image=quay.io/quarkus/ubi-quarkus-mandrel-builder-image:jdk-21"),
                "documents the Mandrel builder image");
        assertTrue(text.contains("-Dquarkus.arc.exclude-types='io.modelyard.ml.**'"), "documents the ml exclusion");
        assertTrue(text.contains("target/*-runner"), "copies the native executable");
        Document pom = pom();
        assertEquals("io.modelyard.ml.**", profileProperty(pom, "native", "quarkus.arc.exclude-types"),
                "the native profile leaves the ml package out");
        assertEquals("true", profileProperty(pom, "native", "quarkus.native.enabled"), "the native profile builds natively");
    }

    // --- Dockerfile parsing ---------------------------------------------------------------------

    private static String read(String dockerfile) {
        try {
            return Files.readString(DOCKER.resolve(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(dockerfile).lines().toList()) {
            String stripped = line.strip();
            if (current.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && stripped.startsWith("#")) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String[] parts = current.toString().split("\\s+", 2);
            result.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            current.setLength(0);
        }
        return result;
    }

    private static List<Instruction> finalStage(String dockerfile) {
        List<Instruction> all = instructions(dockerfile);
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    private static List<String> all(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword))
                .flatMap(i -> List.of(i.arguments().split("\\s+")).stream()).toList();
    }

    /** An ENV value of the stage, from either ENV form ({@code K=V ...} or {@code K V}). */
    private static Optional<String> env(List<Instruction> stage, String name) {
        Pattern pair = Pattern.compile("(?:^|\\s)" + Pattern.quote(name) + "=(\"[^\"]*\"|\\S+)");
        Optional<String> found = Optional.empty();
        for (Instruction instruction : stage) {
            if (!instruction.keyword().equals("ENV")) {
                continue;
            }
            Matcher matcher = pair.matcher(instruction.arguments());
            if (matcher.find()) {
                found = Optional.of(matcher.group(1).replace("\"", ""));
            } else if (instruction.arguments().startsWith(name + " ")) {
                found = Optional.of(instruction.arguments().substring(name.length()).strip());
            }
        }
        return found;
    }

    private static String arg(List<Instruction> all, String name) {
        return all.stream().filter(i -> i.keyword().equals("ARG") && i.arguments().startsWith(name + "="))
                .map(i -> i.arguments().substring(name.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ARG " + name + " with a default"));
    }

    // --- pom.xml ---------------------------------------------------------------------------------

    private static Document pom() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot read pom.xml", e);
        }
    }

    private static String property(Document pom, String name) {
        Element properties = (Element) pom.getDocumentElement().getElementsByTagName("properties").item(0);
        return text(properties, name);
    }

    private static String profileProperty(Document pom, String profile, String name) {
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element element = (Element) profiles.item(i);
            if (profile.equals(text(element, "id"))) {
                return text((Element) element.getElementsByTagName("properties").item(0), name);
            }
        }
        throw new AssertionError("pom.xml has no profile " + profile);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        if (nodes.getLength() == 0) {
            throw new AssertionError("pom.xml has no " + tag);
        }
        return nodes.item(0).getTextContent().strip();
    }
}
