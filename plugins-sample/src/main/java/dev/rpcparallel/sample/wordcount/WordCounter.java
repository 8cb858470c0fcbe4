package dev.rpcparallel.sample.wordcount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts words: a word is a run of letters (with apostrophes inside, as in {@code don't}), taken
 * in lower case. The same code runs in the workers and in tests, which compare with it.
 */
public final class WordCounter {

    private WordCounter() {}

    /** How often each word occurs in {@code text}. */
    public static Map<String, Long> count(CharSequence text) {
        Map<String, long[]> counts = new HashMap<>();
        StringBuilder word = new StringBuilder();
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text.charAt(i) : ' ';
            if (Character.isLetter(c)) {
                word.append(Character.toLowerCase(c));
            } else if (c == '\'' && word.length() > 0 && i + 1 < length && Character.isLetter(text.charAt(i + 1))) {
                word.append(c);
            } else if (word.length() > 0) {
                counts.computeIfAbsent(word.toString(), w -> new long[1])[0]++;
                word.setLength(0);
            }
        }
        Map<String, Long> result = new HashMap<>(counts.size() * 2);
        counts.forEach((w, n) -> result.put(w, n[0]));
        return result;
    }

    /** Adds two counts; returns the larger map, updated. */
    public static Map<String, Long> merge(Map<String, Long> left, Map<String, Long> right) {
        boolean leftIsLarger = left.size() >= right.size();
        Map<String, Long> into = mutable(leftIsLarger ? left : right);
        Map<String, Long> from = leftIsLarger ? right : left;
        from.forEach((w, n) -> into.merge(w, n, Long::sum));
        return into;
    }

    private static Map<String, Long> mutable(Map<String, Long> map) {
        return map instanceof HashMap<String, Long> ? map : new HashMap<>(map);
    }

    /** The {@code k} most frequent words, most frequent first, ties in alphabetical order. */
    public static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int k) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return List.copyOf(entries.subList(0, Math.min(k, entries.size())));
    }
}
