package dev.rpcparallel.launch.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX shell scripts run on the remote host, each as {@code sh -c SCRIPT NAME ARGS...} with
 * every word quoted, so the remote login shell only has to pass them on.
 */
final class RemoteScripts {
  private RemoteScripts() {}

  /** Resolves the cache directory ($1: empty for the default, "~/..." for the remote home). */
  private static final String CACHE_DIR = """
      c=$1
      case $c in
        "") c="${XDG_CACHE_HOME:-$HOME/.cache}/rpc-parallel/classpath" ;;
        "~/"*) c="$HOME/${c#\\~/}" ;;
      esac
      """;

  /**
   * One round trip before a launch: the remote java's version, then (ship) which cache entries
   * exist and the free space, or (verify) the hash of each path.
   * Args: cache-dir java mode entries...
   */
  static final String PROBE = CACHE_DIR + """
      java=$2 mode=$3
      shift 3
      v=$("$java" -version 2>&1)
      echo "java-status $?"
      printf '%s\\n' "$v" | head -n 3 | sed 's/^/java-says /'
      if [ "$mode" = ship ]; then
        umask 077
        mkdir -p "$c" || exit 0
        echo "cache $c"
        echo "free $(df -Pk "$c" | awk 'NR==2 {print $4}')"
        for k in "$@"; do [ -f "$c/$k" ] && echo "have $k"; done
      else
        for p in "$@"; do
          if [ -d "$p" ]; then
            echo "sum $(cd "$p" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do sha256sum "$f"; done | sha256sum | cut -d' ' -f1) $p"
          elif [ -f "$p" ]; then
            echo "sum $(sha256sum < "$p" | cut -d' ' -f1) $p"
          else
            echo "missing $p"
          fi
        done
      fi
      exit 0
      """;

  /**
   * Copies stdin into the cache as $2/$3 (hash/name) and checks its hash before it becomes
   * visible. Args: cache-dir hash name.
   */
  static final String COPY = CACHE_DIR + """
      umask 077
      d="$c/$2"
      mkdir -p "$d" || exit 3
      t="$d/.$3.$$"
      if ! cat > "$t"; then rm -f "$t"; exit 3; fi
      s=$(sha256sum < "$t" | cut -d' ' -f1)
      if [ "$s" != "$2" ]; then rm -f "$t"; echo "the copy of $3 has sha256 $s, not $2" >&2; exit 4; fi
      mv -f "$t" "$d/$3"
      """;

  /**
   * Runs a command so that end-of-file on this session's stdin ends it, whatever it does with
   * stdin: the command reads a fifo that a watcher fills from stdin; at end-of-file (the ssh
   * client closed stdin or died) the watcher waits the grace, then sends SIGTERM to the session's
   * process group (the command and everything it started), and SIGKILL to the command 5 s later.
   * The group id goes to a run directory, for a forced stop. The wrapper exits with the command's
   * status. Args: run-id grace-seconds working-dir command...
   */
  static final String WRAPPER = """
      id=$1 grace=$2 wd=$3
      shift 3
      d="${TMPDIR:-/tmp}/rpc-parallel-run-$id"
      mkdir -m 700 "$d" || exit 125
      trap 'rm -rf "$d"' EXIT
      awk '{print $5}' /proc/$$/stat > "$d/pgid" 2>/dev/null || ps -o pgid= -p $$ | tr -d ' ' > "$d/pgid"
      mkfifo "$d/in" || exit 125
      if [ -n "$wd" ]; then cd "$wd" || exit 125; fi
      "$@" < "$d/in" &
      w=$!
      trap '' TERM
      exec 3<&0
      {
        cat <&3 > "$d/in"
        i=0
        while kill -0 $w 2>/dev/null && [ $i -lt $((grace * 10)) ]; do sleep 0.1; i=$((i + 1)); done
        kill -0 $w 2>/dev/null || exit 0
        kill -TERM 0
        i=0
        while kill -0 $w 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL $w 2>/dev/null
      } > /dev/null 2>&1 &
      exec 3<&-
      wait $w
      """;

  /** Ends a wrapped command's whole process group at once. Args: run-id. */
  static final String KILL = """
      d="${TMPDIR:-/tmp}/rpc-parallel-run-$1"
      g=$(cat "$d/pgid" 2>/dev/null) || exit 0
      [ "$g" -gt 1 ] 2>/dev/null && kill -KILL -- "-$g" 2>/dev/null
      rm -rf "$d"
      """;

  /** Sends SIGTERM to a wrapped command's process group. Args: run-id. */
  static final String TERMINATE = """
      g=$(cat "${TMPDIR:-/tmp}/rpc-parallel-run-$1/pgid" 2>/dev/null) || exit 0
      [ "$g" -gt 1 ] 2>/dev/null && kill -TERM -- "-$g" 2>/dev/null
      exit 0
      """;

  /** {@code sh -c SCRIPT NAME ARGS...} as one quoted remote command line. */
  static String command(String script, String name, List<String> args) {
    List<String> words = new ArrayList<>(List.of("sh", "-c", script, name));
    words.addAll(args);
    return ShellWords.join(words);
  }
}
