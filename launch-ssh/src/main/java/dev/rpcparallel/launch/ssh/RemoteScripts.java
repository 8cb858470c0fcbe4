package dev.rpcparallel.launch.ssh;

import dev.rpcparallel.spi.launch.ClassDataSharingOptions;
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

  /** The last line {@link #LAUNCH} prints before it waits for the launcher's go. */
  static final String AWAIT_GO = "rpc-parallel-launch: awaiting go";

  /**
   * Runs the command "$@" so that end-of-file on this session's stdin ends it, whatever it does
   * with stdin: the command reads a fifo that a watcher fills from stdin; at end-of-file (the ssh
   * client closed stdin or died) the watcher waits the grace, then sends SIGTERM to the session's
   * process group (the command and everything it started), and SIGKILL to the command 5 s later.
   * The group id goes to a run directory, for a forced stop. Leaves the command's status in $?.
   * Reads id (run id), grace (seconds) and wd (working directory, may be empty).
   */
  private static final String WRAPPER = """
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

  /**
   * The one session of a launch: checks the remote java and the class path, waits for the
   * launcher's go, then runs the command in the wrapper (below), with the class path and the
   * class-data archive of the cache.
   *
   * <p>First it prints what it found, one {@code KEY VALUE} line each ({@link RemoteProbe}): the
   * java's exit status and version (remembered in the cache per java file: device, inode, size
   * and modification time, so that a later launch runs no {@code java -version}), then in ship
   * mode the cache directory, the entries it holds and, if one is missing, the free space; in
   * verify mode the hash of each path. Then the line {@value #AWAIT_GO}, and it waits for one line
   * on stdin: {@code go} runs the command, anything else or end-of-file ends the session (the
   * launcher refused the java or the class path, or copies missing entries meanwhile and then
   * says go). So stdin after that line, and stdout and stderr after {@value #AWAIT_GO}, are the
   * command's.
   *
   * <p>The class-data archive ({@link RemoteClassDataSharing}): with an archive key, a launch
   * maps {@code cds/KEY-JAVA.jsa} if its size is the recorded one; else the launch that claims it
   * runs with {@code -XX:DumpLoadedClassList}, and when the command has exited with 0 the script
   * dumps the static archive from that list ({@code java -Xshare:dump}, ended after
   * {@value ClassDataSharingOptions#DUMP_TIMEOUT_SECONDS} s) and installs it only if the dump
   * exited with 0; the list and temporary files are deleted before the claim is released.
   *
   * <p>Args: cache-dir java mode archive-key run-id grace-seconds working-dir n h dump-options,
   * then n class-path entries (cache keys in ship mode, paths in verify mode), then the command,
   * whose first h words are those before the JVM options ({@code env}, its assignments, java):
   * the class path ({@code -cp}) and the archive's options go after them. The dump options are
   * one argument, one option a line.
   */
  static final String LAUNCH = CACHE_DIR + """
      java=$2 mode=$3 key=$4 id=$5 grace=$6 wd=$7 n=$8 h=$9 dump=${10}
      shift 10
      umask 077
      j=
      p=$(command -v "$java" 2>/dev/null) && j=$(stat -L -c '%d-%i-%s-%Y' "$p" 2>/dev/null) || j=
      if [ -n "$j" ] && [ -f "$c/java/$j" ]; then
        echo "java-status 0"
        while IFS= read -r l; do echo "java-says $l"; done < "$c/java/$j"
      else
        v=$("$java" -version 2>&1)
        s=$?
        echo "java-status $s"
        printf '%s\\n' "$v" | head -n 3 | sed 's/^/java-says /'
        if [ "$s" = 0 ] && [ -n "$j" ] && mkdir -p "$c/java" 2>/dev/null; then
          printf '%s\\n' "$v" | head -n 3 > "$c/java/$j.$$" && mv -f "$c/java/$j.$$" "$c/java/$j"
        fi
      fi
      cp=
      if [ "$mode" = ship ]; then
        mkdir -p "$c" || exit 0
        echo "cache $c"
        m=0
        while [ "$n" -gt 0 ]; do
          if [ -f "$c/$1" ]; then echo "have $1"; else m=1; fi
          cp="$cp${cp:+:}$c/$1"
          shift
          n=$((n - 1))
        done
        [ $m = 0 ] || echo "free $(df -Pk "$c" | awk 'NR==2 {print $4}')"
      else
        key=
        while [ "$n" -gt 0 ]; do
          if [ -d "$1" ]; then
            echo "sum $(cd "$1" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do sha256sum "$f"; done | sha256sum | cut -d' ' -f1) $1"
          elif [ -f "$1" ]; then
            echo "sum $(sha256sum < "$1" | cut -d' ' -f1) $1"
          else
            echo "missing $1"
          fi
          cp="$cp${cp:+:}$1"
          shift
          n=$((n - 1))
        done
      fi
      echo "@AWAIT_GO@"
      IFS= read -r go || exit 0
      [ "$go" = go ] || exit 0
      x= a= t= l=
      if [ -n "$key" ] && [ -n "$j" ]; then
        a="$c/cds/$key-$j.jsa"
        if [ -f "$a" ] && [ -f "$a.size" ] && IFS= read -r z < "$a.size" && [ "$(wc -c < "$a")" -eq "$z" ]; then
          x="-XX:SharedArchiveFile=$a"
        elif mkdir -p "$c/cds" && { mkdir "$a.lock" 2>/dev/null || { [ -n "$(find "$a.lock" -prune -mmin +2 2>/dev/null)" ] && touch "$a.lock"; }; }; then
          find "$c/cds" -name '*.tmp' -mmin +60 -exec rm -f {} + 2>/dev/null
          find "$c/cds" -name '*.jsa' -mtime +30 -exec rm -f {} + 2>/dev/null
          t="$a.$$.tmp"
          l="$a.$$.classlist.tmp"
          x="-XX:DumpLoadedClassList=$l"
        fi
      fi 2>/dev/null
      r=$(($# - h))
      while [ "$h" -gt 0 ]; do set -- "$@" "$1"; shift; h=$((h - 1)); done
      [ -z "$x" ] || set -- "$@" "-Xlog:cds*=off" "$x"
      [ -z "$cp" ] || set -- "$@" -cp "$cp"
      while [ "$r" -gt 0 ]; do set -- "$@" "$1"; shift; r=$((r - 1)); done
      """.replace("@AWAIT_GO@", AWAIT_GO) + WRAPPER + """
      s=$?
      if [ -n "$t" ]; then
        if [ "$s" = 0 ] && [ -s "$l" ]; then
          IFS='
      '
          set -f
          set -- $dump
          set +f
          unset IFS
          "$java" "$@" -Xshare:dump "-XX:SharedClassListFile=$l" "-XX:SharedArchiveFile=$t" -cp "$cp" > /dev/null 2>&1 &
          p=$!
          {
            i=0
            while kill -0 $p && [ $i -lt @DUMP_TENTHS@ ]; do sleep 0.1; i=$((i + 1)); done
            kill -KILL $p
          } > /dev/null 2>&1 &
          if wait $p && [ -s "$t" ]; then
            wc -c < "$t" | tr -d ' ' > "$t.size" && mv -f "$t.size" "$a.size" && mv -f "$t" "$a"
          fi
        fi
        rm -f "$l" "$t" "$t.size"
        rmdir "$a.lock"
      fi 2>/dev/null
      exit $s
      """.replace("@DUMP_TENTHS@", Long.toString(ClassDataSharingOptions.DUMP_TIMEOUT_SECONDS * 10));

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
