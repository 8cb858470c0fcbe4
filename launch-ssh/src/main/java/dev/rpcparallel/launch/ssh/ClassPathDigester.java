package dev.rpcparallel.launch.ssh;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Hashes class-path entries (SHA-256) and packs directories into jars, deterministically: the
 * same directory content gives the same jar bytes (entries sorted, one fixed time stamp), so the
 * same hash. Remembers the result per jar (path, size, modification time). Thread-safe.
 */
final class ClassPathDigester {
  /** 1980-02-01 00:00 local: within the DOS time range, so no extra time field is written. */
  private static final long FIXED_TIME = new java.util.GregorianCalendar(1980, 1, 1).getTimeInMillis();

  private final Path packDirectory;
  private final ConcurrentHashMap<String, ClassPathEntry> jars = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ClassPathEntry> packedDirectories = new ConcurrentHashMap<>();

  /** @param packDirectory where packed directories go (a private directory of this JVM) */
  ClassPathDigester(Path packDirectory) {
    this.packDirectory = packDirectory;
  }

  ClassPathEntry digest(Path entry) throws IOException {
    Path path = entry.toAbsolutePath().normalize();
    if (Files.isDirectory(path)) {
      // Packed again only when a file in it changed (names, sizes, modification times).
      String key = path + "|" + fingerprint(path);
      ClassPathEntry packed = packedDirectories.get(key);
      if (packed == null || !Files.isRegularFile(packed.shippedFile())) {
        Path jar = pack(path);
        String name = (path.getFileName() == null ? "root" : path.getFileName().toString()) + ".jar";
        packed = new ClassPathEntry(path, sha256(jar), jar, name, Files.size(jar), highestClassMajor(jar));
        packedDirectories.put(key, packed);
      }
      return packed;
    }
    if (!Files.isRegularFile(path)) {
      throw new IOException("class-path entry " + path + " does not exist");
    }
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    String key = path + "|" + attributes.size() + "|" + attributes.lastModifiedTime().toMillis();
    try {
      return jars.computeIfAbsent(key, k -> {
        try {
          return new ClassPathEntry(path, sha256(path), path, path.getFileName().toString(),
              attributes.size(), highestClassMajor(path));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * The hash a remote shell computes for a directory in verify mode: SHA-256 over the lines
   * {@code "<sha256>  ./<relative path>\n"} of its files sorted by path bytes, as
   * {@code find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum} prints them.
   */
  static String treeHash(Path directory) throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(Files::isRegularFile)
          .forEach(p -> files.add("./" + directory.relativize(p).toString()));
    }
    files.sort(ClassPathDigester::compareBytes);
    StringBuilder lines = new StringBuilder();
    for (String file : files) {
      lines.append(sha256(directory.resolve(file.substring(2)))).append("  ").append(file).append('\n');
    }
    return HexFormat.of().formatHex(messageDigest().digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = messageDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A hash of the names, sizes and modification times of everything under {@code directory}. */
  private static String fingerprint(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        lines.add(directory.relativize(p) + "|" + a.size() + "|" + a.lastModifiedTime().toMillis());
      }
    }
    lines.sort(null);
    return HexFormat.of().formatHex(messageDigest().digest(
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
  }

  private Path pack(Path directory) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = new ArrayList<>(walk.filter(p -> !p.equals(directory)).toList());
    }
    List<String> names = new ArrayList<>();
    for (Path p : paths) {
      String name = directory.relativize(p).toString().replace(java.io.File.separatorChar, '/');
      names.add(Files.isDirectory(p) ? name + "/" : name);
    }
    names.sort(ClassPathDigester::compareBytes);
    Files.createDirectories(packDirectory);
    Path jar = Files.createTempFile(packDirectory, "packed-", ".jar");
    // This JVM's own copy, kept while it may ship again (packedDirectories), gone when it exits.
    jar.toFile().deleteOnExit();
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String name : names) {
        ZipEntry zipEntry = new ZipEntry(name);
        zipEntry.setTime(FIXED_TIME);
        zip.putNextEntry(zipEntry);
        if (!name.endsWith("/")) {
          Files.copy(directory.resolve(name), zip);
        }
        zip.closeEntry();
      }
    }
    jar.toFile().deleteOnExit();
    return jar;
  }

  /** The highest class-file major version in a jar, ignoring module-info and versioned classes. */
  static int highestClassMajor(Path jar) throws IOException {
    int highest = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/versions/")
            || name.endsWith("module-info.class")) {
          continue;
        }
        try (DataInputStream in = new DataInputStream(zip.getInputStream(entry))) {
          if (in.readInt() == 0xCAFEBABE) {
            in.readUnsignedShort();
            highest = Math.max(highest, in.readUnsignedShort());
          }
        } catch (java.io.EOFException truncated) {
          // not a class file: the JVM will say so if it is loaded
        }
      }
    }
    return highest;
  }

  private static int compareBytes(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest messageDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
