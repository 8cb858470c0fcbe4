package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathDigesterTest {

  @Test
  void aDirectoryPacksToTheSameHashWhateverItsTimesAndOrderOfCreation(@TempDir Path tmp) throws Exception {
    Path one = tmp.resolve("one/classes");
    Path two = tmp.resolve("two/classes");
    Files.createDirectories(one.resolve("a/b"));
    Files.writeString(one.resolve("a/b/X.class"), "x");
    Files.writeString(one.resolve("a/Y.txt"), "y");
    Files.createDirectories(two.resolve("a/b"));
    Files.writeString(two.resolve("a/Y.txt"), "y");
    Files.writeString(two.resolve("a/b/X.class"), "x");
    Files.setLastModifiedTime(two.resolve("a/Y.txt"), FileTime.fromMillis(0));
    ClassPathDigester digester = new ClassPathDigester(tmp.resolve("packs"));
    ClassPathEntry first = digester.digest(one);
    ClassPathEntry second = digester.digest(two);
    assertThat(first.sha256()).isEqualTo(second.sha256()).matches("[0-9a-f]{64}");
    assertThat(first.remoteName()).isEqualTo("classes.jar");

    assertThat(digester.digest(two).shippedFile()).as("unchanged: not packed again").isEqualTo(second.shippedFile());
    Files.writeString(two.resolve("a/Y.txt"), "changed");
    assertThat(digester.digest(two).sha256()).isNotEqualTo(first.sha256());
  }

  @Test
  void theTreeHashIsWhatTheRemoteShellComputes(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("d/sub dir"));
    Files.writeString(tmp.resolve("d/B.class"), "b");
    Files.writeString(tmp.resolve("d/a.txt"), "a");
    Files.writeString(tmp.resolve("d/sub dir/Z"), "z");
    Process sh = new ProcessBuilder("sh", "-c", "cd \"$1\" && find . -type f | LC_ALL=C sort | "
        + "while IFS= read -r f; do sha256sum \"$f\"; done | sha256sum | cut -d' ' -f1",
        "tree", tmp.resolve("d").toString()).start();
    String remote = new String(sh.getInputStream().readAllBytes()).strip();
    assertThat(ClassPathDigester.treeHash(tmp.resolve("d"))).isEqualTo(remote);
  }

  @Test
  void theHighestClassVersionOfAJarIsFound() throws Exception {
    Path jar = Path.of(org.assertj.core.api.Assertions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(ClassPathDigester.highestClassMajor(jar)).isBetween(52, 61);
  }
}
