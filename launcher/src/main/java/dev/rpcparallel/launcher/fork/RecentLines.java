package dev.rpcparallel.launcher.fork;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of a worker's output, for error messages: at most {@code maxLines} lines and
 * {@code maxChars} characters in all; the oldest lines give way first. A line longer than
 * {@code maxChars} is kept cut to its first characters and marked with how many were cut.
 * Thread-safe: one thread adds while another reads.
 */
final class RecentLines {
    private final int maxLines;
    private final int maxChars;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long chars;

    RecentLines(int maxLines, int maxChars) {
        if (maxLines < 1 || maxChars < 1) {
            throw new IllegalArgumentException("RecentLines keeps at least one line of one character, not "
                    + maxLines + " lines of " + maxChars + " characters");
        }
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    synchronized void add(String line) {
        String kept = line.length() <= maxChars ? line
                : line.substring(0, maxChars) + " ... (" + (line.length() - maxChars) + " more characters)";
        lines.addLast(kept);
        chars += kept.length();
        while (lines.size() > maxLines || (chars > maxChars && lines.size() > 1)) {
            chars -= lines.removeFirst().length();
        }
    }

    /** The lines kept, oldest first. */
    synchronized List<String> toList() {
        return new ArrayList<>(lines);
    }
}
