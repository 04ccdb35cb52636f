package io.modelyard.storage;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-protocol server (s3proxy over jclouds' in-memory store) inside the test JVM.
 *
 * <p>Why a separate class loader: jclouds 2.7 needs Guice 7, but quarkus-junit brings maven-embedder's
 * {@code guice-5.1.0-classes.jar}, which comes first on the test class path and breaks jclouds' injector.
 * The server therefore runs in a loader over the same class path minus Guice 5, and talks to the tests only
 * through JDK interfaces. Reusable by any test that needs S3.
 */
public final class S3ProxyFixture implements AutoCloseable {

    public static final String ACCESS_KEY = "access";
    public static final String SECRET_KEY = "secret";

    private final URLClassLoader loader;
    private final AutoCloseable server;
    private final URI endpoint;

    private S3ProxyFixture(URLClassLoader loader, AutoCloseable server, URI endpoint) {
        this.loader = loader;
        this.server = server;
        this.endpoint = endpoint;
    }

    @SuppressWarnings("unchecked")
    public static S3ProxyFixture start() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean olderGuice = name.matches("guice-[0-9].*\\.jar") && !name.startsWith("guice-7");
            if (!olderGuice) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        URLClassLoader loader = new URLClassLoader("s3proxy", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        // jclouds finds its providers through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        Object server;
        try {
            server = loader.loadClass(Server.class.getName()).getConstructor().newInstance();
        } finally {
            thread.setContextClassLoader(previous);
        }
        return new S3ProxyFixture(loader, (AutoCloseable) server, ((Supplier<URI>) server).get());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client as production builds it: path-style, checksums only where required. */
    public S3Client client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            loader.close();
        }
    }

    /** Lives in the isolated loader; only its JDK interfaces cross over. */
    public static final class Server implements Supplier<URI>, AutoCloseable {

        private final org.jclouds.blobstore.BlobStoreContext context;
        private final org.gaul.s3proxy.S3Proxy proxy;

        public Server() throws Exception {
            context = org.jclouds.ContextBuilder.newBuilder("transient")
                    .credentials("identity", "credential")
                    .overrides(new Properties())
                    .build(org.jclouds.blobstore.BlobStoreContext.class);
            proxy = org.gaul.s3proxy.S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(org.gaul.s3proxy.AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        }

        @Override
        public URI get() {
            return URI.create("http://127.0.0.1:" + proxy.getPort());
        }

        @Override
        public void close() throws Exception {
            try {
                proxy.stop();
            } finally {
                context.close();
            }
        }
    }
}
