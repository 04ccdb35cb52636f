/**
 * The dataset processing core, framework-free: {@link io.modelyard.dataset.ingest.DatasetPipeline} turns an
 * upload into a raw blob and a processed version, or refuses it.
 *
 * <h2>Calls</h2>
 * <ul>
 * <li>{@code ingest(InputStream upload, IngestRequest)}: stores the upload as received under
 * {@code rawKey} (at most {@code maxUploadBytes}, else 413 {@code payload-too-large} at the crossing byte) and
 * the processed version under {@code versionKey}; returns an {@link io.modelyard.dataset.ingest.IngestResult}
 * (both blobs' keys, sizes and SHA-256, schema, column types, validation report, cleaning report, profile,
 * split counts), every part a record that serializes to snake_case JSON.</li>
 * <li>{@code clean(CleanRequest)}: a new version from a stored one (normally the raw upload) with other
 * options; the source is verified against its digest and never changed.</li>
 * </ul>
 * A refusal is a {@link io.modelyard.common.ProblemException}; nothing is stored then (no blob, no temporary
 * file). The caller owns transactions, ids, quotas and deleting blobs with their dataset.
 *
 * <h2>Problems</h2>
 * See {@link io.modelyard.dataset.problem.DatasetProblem}: 400 {@code invalid-utf8}, {@code nul-byte},
 * {@code malformed-csv}, {@code malformed-jsonl}, {@code invalid-dataset-options}; 422 {@code empty-dataset},
 * {@code missing-header}, {@code duplicate-column}, {@code ragged-row}, {@code field-too-long},
 * {@code row-too-long}, {@code too-many-columns}, {@code too-many-rows}, {@code too-many-classes},
 * {@code missing-column}, {@code single-class}, {@code non-numeric-target}, {@code invalid-split-value},
 * {@code no-usable-rows}; 413 {@code payload-too-large} (upload or version over its byte limit). Problems
 * about a place carry {@code row} (CSV: the header is row 1; JSON Lines: the line) and {@code column};
 * row-level rejections list {@code errors} ({@code row}, {@code column}, {@code reason}, {@code message}) and
 * {@code totals} by reason; limits carry {@code limit} and {@code max}.
 *
 * <h2>Limits</h2>
 * {@link io.modelyard.dataset.format.ParseLimits}: field 1 MiB, row 8 MiB, 1,000 columns, 2,000,000 rows;
 * {@link io.modelyard.dataset.ingest.IngestOptions}: 1,000 classes, 100 listed issues per severity.
 *
 * <h2>How it runs</h2>
 * The upload is read once. Text classification is validated, cleaned, split, profiled and written in that
 * read; tabular tasks (and dropping conflicting labels) need whole-column statistics, so the read writes a
 * normalized candidate to a temporary file in the work directory and a second pass finishes from it. Memory
 * is bounded: about 16 bytes per distinct row for duplicate detection (a million rows: 32 MB), capped
 * quantile samples and category counts, and a few MB of buffers; the live heap for a 1,000,000-row text CSV
 * stays under 40 MB. Threads per call: the caller reads and hashes, one thread decides and writes rows, one
 * per blob hashes and stores bytes; all end with the call.
 */
package io.modelyard.dataset.ingest;
