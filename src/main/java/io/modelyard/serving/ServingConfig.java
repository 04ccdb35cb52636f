package io.modelyard.serving;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Online prediction: request limits, the model cache, dynamic batching, forwarding. Documented in the README. */
@ConfigMapping(prefix = "modelyard.serving")
public interface ServingConfig {

    /** Inputs one request may carry; more answer 413. */
    @WithDefault("256")
    int maxInputs();

    /** Characters one text input may have; longer answer 413. */
    @WithDefault("10000")
    int maxTextLength();

    /** Bytes one encoded image input may have; larger answer 413. */
    @WithDefault("4M")
    MemorySize maxImageBytes();

    /**
     * Pixels (width x height from each image's header, summed over its images) one request may carry when the
     * tenant's plan sets no bound of its own; more answer 413. The bound is the memory of decoding: 4 bytes a pixel
     * in RGB, so 64 Mi pixels are 256 MiB at the peak of one request — sixteen 2048 x 2048 images, or five 12 MP
     * photos — while the JSON body limit alone lets a body of well-compressed images (a plain PNG compresses about
     * 1000:1) carry hundreds of megapixels.
     */
    @WithDefault("67108864")
    long maxImagePixelsPerRequest();

    /** Tokens an explanation lists, most influential first. */
    @WithDefault("10")
    int explainTokens();

    /**
     * How long a request waits for a model that is not loaded yet before answering 503 with Retry-After. A
     * client may ask for less with {@code Prefer: wait=<seconds>}.
     */
    @WithDefault("10s")
    Duration loadWait();

    /** The Retry-After a request gets while its model loads (rounded up to whole seconds). */
    @WithDefault("1s")
    Duration loadingRetryAfter();

    /** Engine predictors per loaded model (how many forward passes of one model run at once); default min(4, cores). */
    Optional<Integer> predictors();

    Cache cache();

    Batching batching();

    /**
     * Where an {@code api} process sends predictions: the workers' service URL (for example
     * {@code http://modelyard-worker:8080}). Required in the api role; ignored elsewhere.
     */
    Optional<URI> workerUrl();

    /** How long the api process waits for a worker's answer, beyond the time allowed for a model to load. */
    @WithDefault("30s")
    Duration workerTimeout();

    Bench bench();

    interface Cache {

        /** Memory the loaded models of one process may hold; the least recently used are unloaded beyond it. */
        @WithDefault("1G")
        MemorySize maxBytes();

        /** Threads that load models (read the artifact, build the network); loads beyond wait their turn. */
        @WithDefault("2")
        int loaderThreads();
    }

    interface Batching {

        /** Gather concurrent requests for the same model into one forward pass. */
        @WithDefault("true")
        boolean enabled();

        /** Rows in one forward pass at most (a single larger request still runs whole). */
        @WithDefault("32")
        int maxBatchSize();

        /** How long the first request of a batch waits for company, in microseconds (0: take what is queued). */
        @WithDefault("0")
        long maxWaitMicros();
    }

    /**
     * Image bytes one multipart prediction request may carry in all (each image is also held to
     * {@link #maxImageBytes()}); the request is read into memory, so this bounds what one call can hold.
     */
    @WithDefault("16M")
    MemorySize maxMultipartBytes();

    interface Bench {

        /**
         * Serves the benchmark's unauthenticated endpoints under {@code /bench/}: never in production.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
