package io.modelyard.dataset.ingest;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.CleaningReport;
import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.format.RecordReader;
import io.modelyard.dataset.format.RecordReaders;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.DatasetProfile;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.quality.ValidationReport;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.schema.SchemaResolver;
import io.modelyard.dataset.split.SplitOptions;
import io.modelyard.dataset.version.CanonicalFormat;
import io.modelyard.dataset.version.RowIndex;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The dataset processing core: one call turns an upload into a stored raw blob and a validated, cleaned,
 * profiled and split version, or refuses it with a {@link io.modelyard.common.ProblemException} and leaves
 * no blob behind. Framework-free and streaming: memory does not grow with the file beyond ~24 bytes per
 * distinct row (duplicate detection), and the upload is read exactly once.
 *
 * <p>Text classification is done in that single read. Tabular tasks (and text tasks that drop conflicting
 * labels) need whole-column statistics before cleaning, so the first read writes a normalized candidate to a
 * temporary file in the {@link ScratchSpace}, within its budget, deleted afterwards, and a second pass reads it.
 */
public final class DatasetPipeline {

    private static final ParseLimits CANDIDATE_LIMITS = new ParseLimits(64 << 20, 256 << 20, 100_000,
            Long.MAX_VALUE);

    private final BlobStore store;
    private final ScratchSpace scratch;

    public DatasetPipeline(BlobStore store, ScratchSpace scratch) {
        this.store = store;
        this.scratch = scratch;
    }

    /** With an unbounded scratch directory (tests, tools). */
    public DatasetPipeline(BlobStore store, Path workDir) {
        this(store, ScratchSpace.unbounded(workDir));
    }

    public DatasetPipeline(BlobStore store) {
        this(store, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** An upload copied whole to the scratch space (an archive is read from its end); closing deletes it. */
    public static final class Spooled implements AutoCloseable {

        private final ScratchSpace.File file;

        private Spooled(ScratchSpace.File file) {
            this.file = file;
        }

        public Path path() {
            return file.path;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /**
     * Copies {@code upload} to the scratch space, within its budget.
     *
     * @throws io.modelyard.storage.BlobTooLargeException past {@code maxBytes}; nothing is kept then
     */
    public Spooled spool(InputStream upload, long maxBytes) throws IOException {
        ScratchSpace.File file = scratch.create();
        try (OutputStream out = file.output()) {
            byte[] chunk = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = upload.read(chunk)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new io.modelyard.storage.BlobTooLargeException(maxBytes);
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return new Spooled(file);
    }

    /**
     * Stores {@code upload} under {@code request.rawKey()} and its processed version under
     * {@code request.versionKey()}, and reports on both. The caller persists the result and owns
     * {@code upload}.
     *
     * @throws io.modelyard.common.ProblemException for an unusable upload (see
     *         {@link io.modelyard.dataset.problem.DatasetProblem}) or one over {@code maxUploadBytes} (413);
     *         nothing is stored then
     */
    public IngestResult ingest(InputStream upload, IngestRequest request) throws IOException {
        BlobWriter raw = store.openWriter(request.rawKey(), request.maxUploadBytes());
        AsyncOutputStream rawCopy = new AsyncOutputStream(raw, "ingest-raw-writer");
        try {
            TeeInputStream tee = new TeeInputStream(upload, rawCopy, request.maxUploadBytes());
            Processed processed = process(tee, request.source(), request.task(), request.columns(),
                    request.options(), request.versionKey());
            tee.drain();
            rawCopy.finish();
            BlobInfo rawInfo;
            try {
                rawInfo = raw.commit();
            } catch (IOException | RuntimeException e) {
                processed.writer.abort(); // the version's blob must not outlive a raw upload that failed to store
                throw e;
            }
            BlobInfo version;
            try {
                version = processed.writer.commit();
            } catch (IOException | RuntimeException e) {
                store.delete(rawInfo.key());
                throw e;
            }
            return processed.result(rawInfo, version);
        } finally {
            rawCopy.cancel(); // no-op once finished
            raw.abort(); // no-op once committed
        }
    }

    /**
     * A new version from a stored one (normally the raw upload) with other options; the source is verified
     * against its SHA-256 and never changed.
     */
    public IngestResult clean(CleanRequest request) throws IOException {
        try (InputStream in = store.open(request.source().key(), request.source().sha256())) {
            Processed processed = process(in, request.sourceFormat(), request.task(), request.columns(),
                    request.options(), request.versionKey());
            BlobInfo version = processed.writer.commit();
            return processed.result(request.source(), version);
        }
    }

    private Processed process(InputStream in, SourceFormat source, TaskType task, ColumnMap columns,
            IngestOptions options, String versionKey) throws IOException {
        RecordReader reader = RecordReaders.open(in, source.format(), source.delimiter(), options.limits());
        Character delimiter = reader instanceof CsvReader csv ? csv.delimiter() : null;
        SplitOptions.Source splitSource = options.split().source();
        SchemaResolver.Resolution resolution = SchemaResolver.resolve(task, reader.header(), columns,
                splitSource != SplitOptions.Source.DRAW);
        if (splitSource == SplitOptions.Source.COLUMN && resolution.schema().splitColumn() == null) {
            throw DatasetProblem.MISSING_COLUMN.problem("The split options ask for a split column but the file has "
                    + "none; name it in the column map (column_map.split).", Map.of("column", "split"));
        }
        Run run = new Run(resolution.schema(), options);
        for (String renamed : resolution.renamedColumns()) {
            run.issues.warnings(Reasons.UNNAMED_COLUMN, 1, renamed,
                    "A column has no name in the header; it is called '" + renamed + "'.");
        }
        boolean singlePass = task.hasOneInput()
                && options.cleaning().conflicts() != CleaningOptions.ConflictAction.DROP;
        BlobWriter version = null;
        AsyncOutputStream versionOut = null;
        try {
            FinalStage finalStage;
            if (singlePass) {
                version = store.openWriter(versionKey, options.maxVersionBytes());
                versionOut = new AsyncOutputStream(version, "ingest-version-writer");
                finalStage = new FinalStage(run, List.of(ColumnType.TEXT, ColumnType.CATEGORICAL), versionOut);
                new FirstPass(run, reader).run(null, finalStage);
                run.checkFirstPass();
            } else {
                try (ScratchSpace.File candidate = scratch.create()) {
                    try (OutputStream out = candidate.output()) {
                        CsvWriter writer = new CsvWriter(out);
                        List<String> header = new java.util.ArrayList<>(run.schema.columnNames());
                        header.add(CanonicalFormat.SPLIT_COLUMN);
                        header.add("__row"); // the upload's row number, for issues found in the second pass
                        writer.row(header);
                        new FirstPass(run, reader).run(writer, null);
                        writer.flush();
                    }
                    run.checkFirstPass();
                    Decisions decisions = !task.hasOneInput() ? run.decide() : textDecisions(run);
                    version = store.openWriter(versionKey, options.maxVersionBytes());
                    versionOut = new AsyncOutputStream(version, "ingest-version-writer");
                    finalStage = new FinalStage(run, decisions.typeList(), versionOut);
                    try (CsvReader rows = new CsvReader(new BufferedInputStream(Files.newInputStream(candidate.path),
                            1 << 16), ',', CANDIDATE_LIMITS)) {
                        new SecondPass(run, decisions, finalStage).run(rows);
                    }
                }
            }
            finalStage.flush();
            versionOut.finish();
            DatasetProfile profile = finalStage.profile().build(run.labels.names());
            run.checkVersion(profile);
            ValidationReport validation = run.issues.report(run.rowsRead, run.rowsAccepted);
            CleaningReport cleaning = run.counters.report(options.cleaning(), run.rowsRead, profile.rows(),
                    run.conflicts.size());
            return new Processed(version, new SourceFormat(source.format(), delimiter), run, finalStage.types(),
                    validation, cleaning, profile, finalStage.index());
        } catch (IOException | RuntimeException | Error e) {
            if (versionOut != null) {
                versionOut.cancel();
            }
            if (version != null) {
                version.abort();
            }
            throw e;
        }
    }

    private static Decisions textDecisions(Run run) {
        Decisions decisions = new Decisions(run.columns);
        decisions.types[0] = ColumnType.TEXT;
        decisions.types[1] = ColumnType.CATEGORICAL;
        return decisions;
    }

    /** A processed upload whose version blob is written but not yet committed. */
    private record Processed(BlobWriter writer, SourceFormat source, Run run, List<ColumnType> types,
            ValidationReport validation, CleaningReport cleaning, DatasetProfile profile, RowIndex index) {

        IngestResult result(BlobInfo raw, BlobInfo version) {
            return new IngestResult(raw, source, version, run.schema, types, validation, cleaning, profile,
                    profile.splits(), index);
        }
    }
}
