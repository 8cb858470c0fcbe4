package dev.rpcparallel.launch.slurm;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A {@code slurm://[partition]?cpus=N&mem=SIZE&time=MINUTES&account=A&extra=...} target: the
 * partition and resources of each job. Immutable.
 *
 * @param partition the partition; empty for the cluster's default
 * @param cpus CPUs for the one task ({@code --cpus-per-task})
 * @param memory memory of the job as Slurm writes it, e.g. {@code 2G} ({@code --mem})
 * @param time the time limit in minutes, or in Slurm's own forms ({@code MM:SS},
 *     {@code HH:MM:SS}, {@code D-HH}) ({@code --time})
 * @param account the account to charge ({@code --account})
 * @param extra further srun options, space-separated in the URI ({@code extra=--qos=high
 *     --constraint=ib}, percent-encoded as a URI needs)
 */
record SlurmTarget(Optional<String> partition, OptionalInt cpus, Optional<String> memory,
    Optional<String> time, Optional<String> account, List<String> extra) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]+");
  private static final Pattern MEMORY = Pattern.compile("[0-9]+[KMGTkmgt]?");
  private static final Pattern TIME = Pattern.compile("[0-9]+(-[0-9]+)?(:[0-9]+){0,2}");

  static SlurmTarget parse(URI uri) {
    if (!"slurm".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a slurm:// target: " + uri);
    }
    if (uri.isOpaque() || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
      throw bad(uri, "write slurm://[partition]?cpus=N&mem=SIZE&time=MINUTES&account=A&extra=OPTIONS");
    }
    Optional<String> partition = Optional.ofNullable(uri.getRawAuthority()).filter(p -> !p.isEmpty());
    partition.ifPresent(p -> check(uri, "partition", p, NAME, "a partition name (letters, digits, _ . + -)"));
    OptionalInt cpus = OptionalInt.empty();
    Optional<String> memory = Optional.empty();
    Optional<String> time = Optional.empty();
    Optional<String> account = Optional.empty();
    List<String> extra = new ArrayList<>();
    String query = uri.getRawQuery();
    for (String pair : query == null || query.isEmpty() ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (value.isEmpty()) {
        throw bad(uri, "parameter '" + key + "' has no value");
      }
      switch (key) {
        case "cpus" -> {
          check(uri, key, value, Pattern.compile("[1-9][0-9]{0,5}"), "a positive number of CPUs");
          cpus = OptionalInt.of(Integer.parseInt(value));
        }
        case "mem" -> memory = Optional.of(check(uri, key, value, MEMORY, "a size such as 512M or 4G"));
        case "time" -> time = Optional.of(check(uri, key, value, TIME,
            "minutes, or Slurm's MM:SS, HH:MM:SS or D-HH[:MM[:SS]]"));
        case "account" -> account = Optional.of(check(uri, key, value, NAME, "an account name"));
        case "extra" -> {
          for (String word : value.trim().split("\\s+")) {
            if (!word.startsWith("-")) {
              throw bad(uri, "extra='" + value + "': each extra word must be an srun option "
                  + "starting with '-' (write options with '=', e.g. --qos=high)");
            }
            extra.add(word);
          }
        }
        default -> throw bad(uri, "unknown parameter '" + key + "'; known: cpus, mem, time, account, extra");
      }
    }
    return new SlurmTarget(partition, cpus, memory, time, account, List.copyOf(extra));
  }

  private static String check(URI uri, String key, String value, Pattern pattern, String expected) {
    if (!pattern.matcher(value).matches()) {
      throw bad(uri, key + "='" + value + "' is not " + expected);
    }
    return value;
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException bad(URI uri, String what) {
    return new IllegalArgumentException("Slurm target " + uri + ": " + what);
  }

  /** The srun options that ask for this target's partition and resources. */
  List<String> srunOptions() {
    List<String> options = new ArrayList<>();
    partition.ifPresent(p -> options.add("--partition=" + p));
    cpus.ifPresent(n -> options.add("--cpus-per-task=" + n));
    memory.ifPresent(m -> options.add("--mem=" + m));
    time.ifPresent(t -> options.add("--time=" + t));
    account.ifPresent(a -> options.add("--account=" + a));
    options.addAll(extra);
    return options;
  }

  @Override
  public String toString() {
    List<String> query = new ArrayList<>();
    cpus.ifPresent(n -> query.add("cpus=" + n));
    memory.ifPresent(m -> query.add("mem=" + m));
    time.ifPresent(t -> query.add("time=" + t));
    account.ifPresent(a -> query.add("account=" + a));
    if (!extra.isEmpty()) {
      query.add("extra=" + String.join(" ", extra));
    }
    return "slurm://" + partition.orElse("") + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }
}
