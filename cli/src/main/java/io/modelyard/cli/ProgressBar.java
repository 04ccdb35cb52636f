package io.modelyard.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error (standard output stays free for results and {@code --json}),
 * redrawn in place at most ten times a second: {@code [##########··········]  50%  1.2 MiB / 2.4 MiB}. When
 * standard error is not a terminal (a log, a CI job) it prints a plain line at every tenth instead.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final PrintStream lines;
    private final boolean enabled;
    private final String label;
    private long total = -1;
    private long done;
    private long lastDraw;
    private String suffix = "";
    private boolean drawn;
    private final boolean terminal = System.console() != null;
    private long lastTenth = -1;

    /** The bar goes to {@code out} (standard error); {@link #println} lines to {@code lines} (standard output). */
    ProgressBar(PrintStream out, PrintStream lines, boolean enabled, String label) {
        this.out = out;
        this.lines = lines;
        this.enabled = enabled;
        this.label = label;
    }

    /** Bytes to come ({@code -1}: unknown); the bar then shows a percentage of them. */
    synchronized void start(long totalBytes) {
        total = totalBytes;
        done = 0;
        draw(true);
    }

    synchronized void advance(long bytes) {
        done += bytes;
        draw(false);
    }

    /** A bar of percentages (a job's progress) rather than bytes. */
    synchronized void percent(double percent, String note) {
        total = 10_000;
        done = Math.round(Math.max(0, Math.min(100, percent)) * 100);
        suffix = note == null ? "" : note;
        draw(true);
    }

    /** Prints a line above the bar without breaking it. */
    synchronized void println(String line) {
        if (enabled && drawn && terminal) {
            out.print("\r\033[K");
        }
        out.flush();
        lines.println(line);
        lines.flush();
        if (enabled && drawn && terminal) {
            draw(true);
        }
    }

    synchronized void finish() {
        if (!enabled) {
            return;
        }
        draw(true);
        if (terminal) {
            out.println();
        }
        drawn = false;
    }

    private void draw(boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        long tenth = Math.round(Math.floor(fraction * 10));
        if (!terminal && tenth == lastTenth) {
            return;
        }
        lastTenth = tenth;
        lastDraw = now;
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder bar = new StringBuilder(terminal ? "\r\033[K" : "").append(label).append(" [");
        bar.append("#".repeat(filled)).append("·".repeat(WIDTH - filled)).append("] ");
        bar.append(String.format(Locale.ROOT, "%3d%%", Math.round(fraction * 100)));
        if (total != 10_000 && total >= 0) {
            bar.append("  ").append(bytes(done)).append(" / ").append(bytes(total));
        }
        if (!suffix.isEmpty()) {
            bar.append("  ").append(suffix);
        }
        if (terminal) {
            out.print(bar);
        } else {
            out.println(bar);
        }
        out.flush();
        drawn = true;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
