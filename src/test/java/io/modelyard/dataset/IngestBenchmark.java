package io.modelyard.dataset;

import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.ingest.IngestOptions;
import io.modelyard.dataset.ingest.IngestRequest;
import io.modelyard.dataset.ingest.IngestResult;
import io.modelyard.dataset.ingest.SourceFormat;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.FileSystemBlobStore;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * In-process measurement of the full ingest (upload stream → raw blob, validation, cleaning, profile,
 * splits, version blob on a filesystem store) against {@link BareCsvParseBaseline} on the same file, runs
 * interleaved so machine noise hits both. Run with {@code -Xmx256m} to prove the heap bound.
 *
 * <p>Usage: {@code IngestBenchmark <csv> [runs] [blob-dir]}; prints {@code bare_mb_per_s}, {@code pipeline_mb_per_s},
 * {@code ingest_throughput_ratio} (best run of each) and {@code ingest_peak_heap_mb}.
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path blobs = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("modelyard-bench");
        long bytes = Files.size(csv);
        HeapSampler heap = HeapSampler.start();
        double bestBare = 0;
        double bestPipeline = 0;
        IngestResult last = null;
        FileSystemBlobStore store = new FileSystemBlobStore(blobs, true);
        DatasetPipeline pipeline = new DatasetPipeline(store, blobs);
        IngestOptions options = IngestOptions.DEFAULTS.withLimits(ParseLimits.DEFAULTS.withMaxRows(10_000_000));
        java.util.List<Double> ratios = new java.util.ArrayList<>();
        double bestBareCpu = Double.MAX_VALUE;
        double bestPipelineCpu = Double.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long cpu0 = processCpuNanos();
            BareCsvParseBaseline.Result bare = BareCsvParseBaseline.measure(csv);
            bestBareCpu = Math.min(bestBareCpu, (processCpuNanos() - cpu0) / 1e9);
            bestBare = Math.max(bestBare, bare.mbPerSecond());
            long cpu1 = processCpuNanos();
            long main1 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long start = System.nanoTime();
            try (InputStream upload = Files.newInputStream(csv)) {
                last = pipeline.ingest(upload, new IngestRequest(SourceFormat.csv(), TaskType.TEXT_CLASSIFICATION,
                        ColumnMap.GUESS, options, "bench/run" + run + "/raw.csv", "bench/run" + run + "/v1.csv",
                        Long.MAX_VALUE));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double pipelineCpu = (processCpuNanos() - cpu1) / 1e9;
            double mainCpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - main1) / 1e9;
            bestPipelineCpu = Math.min(bestPipelineCpu, pipelineCpu);
            double mbps = bytes / 1e6 / seconds;
            bestPipeline = Math.max(bestPipeline, mbps);
            ratios.add(mbps / bare.mbPerSecond());
            System.out.printf(Locale.ROOT, "run %d: bare %.1f MB/s (%.2fs), pipeline %.1f MB/s (%.2fs; cpu %.2fs, of "
                    + "which the calling thread %.2fs), ratio %.2f%n", run, bare.mbPerSecond(), bare.seconds(), mbps,
                    seconds, pipelineCpu, mainCpu, mbps / bare.mbPerSecond());
            store.deleteByPrefix("bench/run" + run + "/");
        }
        heap.stop();
        System.out.printf(Locale.ROOT, "rows_in=%d rows_out=%d splits=%s%n", last.cleaning().rowsIn(),
                last.cleaning().rowsOut(), last.splits());
        System.out.printf(Locale.ROOT, "bare_mb_per_s=%.1f%n", bestBare);
        System.out.printf(Locale.ROOT, "pipeline_mb_per_s=%.1f%n", bestPipeline);
        System.out.printf(Locale.ROOT, "ingest_throughput_ratio=%.2f (best pipeline run / best bare run)%n",
                bestPipeline / bestBare);
        java.util.Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "median_run_ratio=%.2f (each run's pipeline / its own bare parse)%n",
                ratios.get(ratios.size() / 2));
        System.out.printf(Locale.ROOT, "cpu_seconds bare=%.2f pipeline=%.2f cpu_ratio=%.2f (all threads of the process)%n",
                bestBareCpu, bestPipelineCpu, bestBareCpu / bestPipelineCpu);
        System.out.printf(Locale.ROOT, "ingest_peak_heap_mb=%.1f (highest used heap sampled every 2 ms, garbage included; "
                + "max heap %d MB)%n", heap.peakUsed / 1e6, Runtime.getRuntime().maxMemory() / 1_000_000);
        System.out.printf(Locale.ROOT, "live_heap_after_gc_peak_mb=%.1f (highest heap in use right after a collection)%n",
                heap.peakAfterGc / 1e6);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Polls used heap every few milliseconds; the peak it sees is a lower bound of the true peak. */
    static final class HeapSampler implements Runnable {

        volatile boolean running = true;
        volatile long peakUsed;
        volatile long peakAfterGc;
        private Thread thread;

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                            (javax.management.openmbean.CompositeData) notification.getUserData());
                    long used = 0;
                    for (var usage : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (isHeap(usage.getKey())) {
                            used += usage.getValue().getUsed();
                        }
                    }
                    sampler.peakAfterGc = Math.max(sampler.peakAfterGc, used);
                }, null, null);
            }
            sampler.thread = new Thread(sampler, "heap-sampler");
            sampler.thread.setDaemon(true);
            sampler.thread.start();
            return sampler;
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                peakUsed = Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static boolean isHeap(String pool) {
            for (MemoryPoolMXBean bean : ManagementFactory.getMemoryPoolMXBeans()) {
                if (bean.getName().equals(pool)) {
                    return bean.getType() == MemoryType.HEAP;
                }
            }
            return false;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
