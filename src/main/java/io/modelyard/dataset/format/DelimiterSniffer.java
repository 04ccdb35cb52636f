package io.modelyard.dataset.format;

/** Guesses a CSV file's delimiter from its first bytes. */
final class DelimiterSniffer {

    private static final byte QUOTE = '"';
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private DelimiterSniffer() {
    }

    /**
     * Picks the delimiter from a sample: for each candidate, count occurrences outside quotes per line over
     * the first complete lines; prefer one that appears on the header line with the same count on every line,
     * then the most frequent. A sample with none of them is a one-column file (comma).
     */
    static byte sniff(byte[] b, int from, int to, boolean complete) {
        byte[] candidates = {',', ';', '\t'};
        int maxLines = 50;
        int[][] counts = new int[candidates.length][maxLines];
        int lines = 0;
        boolean quoted = false;
        int lineStart = from;
        for (int i = from; i < to && lines < maxLines; i++) {
            byte c = b[i];
            if (c == QUOTE) {
                quoted = !quoted;
            } else if (!quoted && (c == LF || c == CR)) {
                if (i > lineStart) {
                    lines++;
                }
                lineStart = i + 1;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    if (c == candidates[k]) {
                        counts[k][lines]++;
                    }
                }
            }
        }
        if (complete && lineStart < to && lines < maxLines) {
            lines++; // the last line has no line break
        }
        lines = Math.max(lines, 1);
        byte best = ',';
        double bestScore = -1;
        for (int k = 0; k < candidates.length; k++) {
            int onHeader = counts[k][0];
            if (onHeader == 0) {
                continue;
            }
            int consistent = 0;
            for (int line = 0; line < lines; line++) {
                if (counts[k][line] == onHeader) {
                    consistent++;
                }
            }
            double score = (double) consistent / lines * 1000 + Math.min(onHeader, 999);
            if (score > bestScore) {
                bestScore = score;
                best = candidates[k];
            }
        }
        return best;
    }
}
