package dev.rpcparallel.launch.ssh;

import java.util.ArrayList;
import java.util.List;

/** POSIX shell quoting of words for a remote command line, and the splitting of RPC_PARALLEL_SSH. */
final class ShellWords {
  private ShellWords() {}

  /** {@code word} as one single-quoted shell word; safe for any content. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Words joined as one command line, each quoted. */
  static String join(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String word : words) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(quote(word));
    }
    return line.toString();
  }

  /**
   * Splits a command line as a shell would into words: blanks separate, single and double quotes
   * group, a backslash escapes the next character. No expansion of variables or globs.
   *
   * @throws IllegalArgumentException on an unclosed quote
   */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed " + quote + " in command line: " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
