package dev.rpcparallel.launch.ssh;

import java.nio.file.Path;

/**
 * One local class-path entry as it is shipped: its content hash, the file that is copied (the
 * jar itself, or a directory packed into a jar), the name it gets in the remote cache, and the
 * class-file major version its classes need.
 *
 * @param localPath the entry on this host
 * @param sha256 the hash of {@code shippedFile} (lower-case hex): the cache key
 * @param shippedFile the file copied to the remote host
 * @param remoteName the file name in the remote cache ({@code <sha256>/<remoteName>})
 * @param size the size of {@code shippedFile} in bytes
 * @param classMajor the highest class-file major version among its classes (0 if none)
 */
record ClassPathEntry(
    Path localPath, String sha256, Path shippedFile, String remoteName, long size, int classMajor) {

  /** The path relative to the cache directory. */
  String cacheKey() {
    return sha256 + "/" + remoteName;
  }
}
