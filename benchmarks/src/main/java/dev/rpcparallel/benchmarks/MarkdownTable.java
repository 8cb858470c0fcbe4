package dev.rpcparallel.benchmarks;

import java.io.PrintStream;
import java.util.List;

/** Prints a Markdown table with its columns padded to their widest cell, as every table of the suite is. */
final class MarkdownTable {
    private MarkdownTable() {}

    static void print(PrintStream out, List<String> header, List<List<String>> lines) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> line : lines) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        out.println(format(header, widths));
        StringBuilder rule = new StringBuilder("|");
        for (int width : widths) {
            rule.append(' ').append("-".repeat(width)).append(" |");
        }
        out.println(rule);
        for (List<String> line : lines) {
            out.println(format(line, widths));
        }
    }

    private static String format(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            line.append(' ').append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append(" |");
        }
        return line.toString();
    }
}
