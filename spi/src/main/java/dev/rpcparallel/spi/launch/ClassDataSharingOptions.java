package dev.rpcparallel.spi.launch;

import dev.rpcparallel.api.annotation.API;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which JVM options matter to a worker's static class-data (CDS) archive: the one policy of the
 * launchers that make such archives, for workers on this host and on hosts reached over ssh. A
 * static archive is dumped once ({@code java -Xshare:dump} of a class list) and mapped by every
 * later worker of the same class path, {@code java} and options; a worker maps it only if the
 * options that shape an archive match the dump's, and the options that make or name an archive
 * themselves leave the launcher's out.
 *
 * <p>For rpc-parallel's own launchers only: it is here because the launch SPI is what they share
 * (a launcher module depends on the SPI, never on another launcher). Stateless and thread-safe.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClassDataSharingOptions {
  /** A dump that takes longer than this many seconds is ended: no archive. */
  public static final long DUMP_TIMEOUT_SECONDS = 30;

  private static final Pattern COLLECTOR = Pattern.compile("-XX:[+-]Use\\w*GC");
  private static final Pattern FILES_AND_RECORDINGS = Pattern.compile(
      "-XX:([+-])?(StartFlightRecording|FlightRecorder\\w*|HeapDump\\w*|ErrorFile|OnError|OnOutOfMemoryError"
          + "|LogFile|\\w*Log\\w*|Print\\w*|NativeMemoryTracking)(=.*)?");

  private ClassDataSharingOptions() {}

  /**
   * Whether {@code option} chooses class data sharing itself ({@code -Xshare}, an archive to map,
   * a dump or class list to write): a launcher then adds no archive of its own.
   */
  public static boolean choosesSharing(String option) {
    return option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
        || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:SharedClassListFile")
        || option.startsWith("-XX:+RecordDynamicDumpInfo") || option.startsWith("-XX:DumpLoadedClassList");
  }

  /**
   * Whether {@code option} changes what an archive holds or whether a JVM accepts it: such
   * options are part of the archive's key, so that workers given other ones get another archive.
   */
  public static boolean bearsOnArchive(String option) {
    return option.startsWith("-XX:") || option.startsWith("-Xmx") || option.startsWith("-Xbootclasspath")
        || option.startsWith("-javaagent") || option.startsWith("-agent") || option.startsWith("--")
        || option.startsWith("-Djava.system.class.loader");
  }

  /**
   * Of a worker's JVM options, those its archive's dump takes: the {@code -XX:} options but for
   * the collector's choice and those that only name files or recordings, the heap's size
   * (compressed oops), the boot class path, module options and the system class loader; then
   * {@code -XX:+UseG1GC}. The dump always uses G1, the one collector that archives heap objects
   * (the JDK's own archive is made so too); a worker of any collector maps the archive.
   *
   * @return the options in their order, then {@code -XX:+UseG1GC}; without the dump's own
   *     ({@code -Xshare:dump}, the class list, the archive, the class path)
   */
  public static List<String> staticDumpOptions(List<String> workerOptions) {
    List<String> taken = new ArrayList<>();
    for (String option : workerOptions) {
      boolean xx = option.startsWith("-XX:") && !COLLECTOR.matcher(option).matches()
          && !FILES_AND_RECORDINGS.matcher(option).matches();
      if (xx || option.startsWith("-Xmx") || option.startsWith("-Xbootclasspath")
          || option.startsWith("--") || option.startsWith("-Djava.system.class.loader")) {
        taken.add(option);
      }
    }
    taken.add("-XX:+UseG1GC");
    return taken;
  }
}
