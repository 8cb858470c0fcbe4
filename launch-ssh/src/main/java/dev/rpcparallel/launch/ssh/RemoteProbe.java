package dev.rpcparallel.launch.ssh;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@link RemoteScripts#LAUNCH} reports before it runs: the remote java, the cache and the hashes there. */
record RemoteProbe(
    int javaStatus,
    List<String> javaSaid,
    String cacheDirectory,
    OptionalLong freeBytes,
    Set<String> present,
    Map<String, String> sums,
    Set<String> missing) {

  private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

  static RemoteProbe parse(String output) {
    int javaStatus = -1;
    List<String> javaSaid = new java.util.ArrayList<>();
    String cache = null;
    OptionalLong free = OptionalLong.empty();
    Set<String> present = new HashSet<>();
    Map<String, String> sums = new HashMap<>();
    Set<String> missing = new LinkedHashSet<>();
    for (String line : output.split("\n")) {
      int space = line.indexOf(' ');
      if (space < 0) {
        continue;
      }
      String key = line.substring(0, space);
      String value = line.substring(space + 1);
      switch (key) {
        case "java-status" -> javaStatus = Integer.parseInt(value.strip());
        case "java-says" -> javaSaid.add(value);
        case "cache" -> cache = value;
        case "free" -> {
          try {
            free = OptionalLong.of(Long.parseLong(value.strip()) * 1024);
          } catch (NumberFormatException unknown) {
            free = OptionalLong.empty();
          }
        }
        case "have" -> present.add(value);
        case "sum" -> {
          int next = value.indexOf(' ');
          sums.put(value.substring(next + 1), value.substring(0, next));
        }
        case "missing" -> missing.add(value);
        default -> { }
      }
    }
    return new RemoteProbe(javaStatus, List.copyOf(javaSaid), cache, free, present, sums, missing);
  }

  /** The remote java's feature version (8 for 1.8, 17 for 17.0.2), if it printed one. */
  OptionalInt javaFeature() {
    for (String line : javaSaid) {
      Matcher m = VERSION.matcher(line);
      if (m.find()) {
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && m.group(2) != null) {
          return OptionalInt.of(Integer.parseInt(m.group(2)));
        }
        return OptionalInt.of(first);
      }
    }
    return OptionalInt.empty();
  }
}
