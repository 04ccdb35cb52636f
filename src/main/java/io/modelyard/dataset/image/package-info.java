/**
 * Image classification datasets from a zip, framework-free: {@link io.modelyard.dataset.image.ImageArchiveReader}
 * reads the archive and {@link io.modelyard.dataset.image.ImageReport} describes what it held.
 *
 * <h2>Calls</h2>
 * <ul>
 * <li>{@code new ImageArchiveReader(ArchiveLimits)}; {@code read(InputStream upload, ArchiveImageSink)} (the
 * caller bounds the upload's size; it is spooled to a temporary file, deleted before the call returns) or
 * {@code read(Path zip, ArchiveImageSink)}. Each decodable image goes to the sink as an
 * {@link io.modelyard.dataset.image.ArchiveImage} (path, SHA-256, bytes, size, mode, format, dHash, thumbnail)
 * in central-directory order; the result is an {@link io.modelyard.dataset.image.ImageArchive}: labelled images,
 * undecodable files with reasons, counts. On a refusal the caller deletes whatever the sink stored.</li>
 * <li>{@code readUnlabelled(Path zip, ArchiveImageSink)}: the same checks for images to predict (batch
 * predictions): any folder layout, no label needed, a {@code labels.csv} where a manifest would sit skipped unread,
 * every other non-image file refused as for a dataset. Undecodable files also reach the sink
 * ({@code ArchiveImageSink.undecodable}), in archive order.</li>
 * <li>{@code ImageReport.of(ImageArchive, Function<LabelledImage, ImageSplit> finalSplit)}: classes per split,
 * sizes, modes, undecodable files, exact and near duplicates, leakage across splits; snake_case JSON.</li>
 * </ul>
 *
 * <h2>Layouts</h2>
 * {@code <label>/<file>}, optionally under {@code train/}, {@code validation/} (or {@code val/}), {@code test/},
 * optionally all under one top folder; or a {@code labels.csv} ({@code file,label[,split]}) at the root or in
 * that top folder, which then decides every label: an image it does not name is refused
 * ({@code image-not-in-manifest}), so labels never come from two places at once. Folders, {@code __MACOSX/},
 * {@code .DS_Store}, {@code Thumbs.db}, {@code desktop.ini} and {@code ._*} files are skipped unread.
 *
 * <h2>Problems</h2>
 * See {@link io.modelyard.dataset.problem.DatasetProblem}; each names the entry in {@code entry} (and in the
 * detail) except a damaged archive whose directory cannot be found. 400 {@code malformed-archive} (truncated,
 * not a zip, inconsistent directory, duplicate or non-UTF-8 names, an entry that will not inflate);
 * 422 {@code archive-path-traversal}, {@code archive-absolute-path}, {@code archive-symlink},
 * {@code encrypted-archive-entry}, {@code unsupported-archive-compression}, {@code nested-archive},
 * {@code too-many-archive-entries}, {@code archive-entry-too-large}, {@code archive-too-large},
 * {@code compression-ratio-too-high}, {@code image-too-large} (limits carry {@code limit} and {@code max}),
 * {@code not-an-image}, {@code unlabelled-image}, {@code image-not-in-manifest},
 * {@code manifest-names-missing-file} (with {@code row} and {@code file}); and for {@code labels.csv}:
 * {@code missing-header}, {@code missing-column}, {@code ragged-row}, {@code malformed-csv},
 * {@code invalid-split-value}, {@code invalid-utf8}, with {@code row}.
 *
 * <h2>Order of checks</h2>
 * The whole central directory first (entry count, then for each entry: path, link, encryption, compression
 * method, duplicate name), before a byte is inflated; then the manifest; then each entry in turn: an archive
 * by name, inflation against the size, total and ratio limits, an archive by content, an image signature,
 * a label, the pixel count from the header, decoding.
 */
package io.modelyard.dataset.image;
