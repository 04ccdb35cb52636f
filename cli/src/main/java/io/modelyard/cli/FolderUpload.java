package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder of images sent as one zip (a dataset upload, a batch prediction's input). The folder is zipped to a
 * temporary file first, then uploaded like any file. Simpler and sturdier than zipping on the fly into the
 * request: the request has a Content-Length and the upload bar a true total (the zip's size is not known until it
 * is written), and a folder that cannot be zipped (a link, an unreadable file) fails before a byte is sent rather
 * than cutting a request off midway. The cost is room for one copy of the zip in the temporary folder
 * ({@code -Djava.io.tmpdir} through {@code MODELYARD_CLI_JAVA_OPTS} moves it), readable by its owner only and
 * deleted at the end.
 */
final class FolderUpload {

    private FolderUpload() {
    }

    /** Zips {@code folder} with a progress bar, then posts the zip to {@code path} with another. */
    static JsonNode upload(Modelyard root, Path folder, String path) {
        FolderZip zipped;
        try {
            zipped = FolderZip.of(folder);
        } catch (FolderZip.Refused e) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, e.getMessage());
        }
        Path zip = null;
        try {
            zip = Files.createTempFile("modelyard-upload-", ".zip");
            ProgressBar zipping = root.progress("zip " + zipped.entries().size() + " files");
            zipping.start(zipped.totalBytes());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(zip))) {
                zipped.write(out, zipping::advance);
            }
            zipping.finish();
            return root.api().upload(path, zip, "application/zip", root.progress("upload"));
        } catch (FolderZip.Refused e) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new Modelyard.CliFailure(ExitCodes.ERROR, "cannot zip " + folder + ": " + e);
        } finally {
            if (zip != null) {
                try {
                    Files.deleteIfExists(zip);
                } catch (IOException e) {
                    root.err.println("modelyard: could not delete " + zip + ": " + e.getMessage());
                }
            }
        }
    }
}
