package dev.rpcparallel.launch.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshTargetAndWordsTest {

  @Test
  void aTargetBecomesSshArguments() {
    assertThat(SshTarget.parse(URI.create("ssh://alice@h1.example:2222")).sshArguments())
        .containsExactly("-l", "alice", "-p", "2222", "--", "h1.example");
    assertThat(SshTarget.parse(URI.create("ssh://h1")).sshArguments()).containsExactly("--", "h1");
  }

  @Test
  void badTargetsAreNamed() {
    assertThatThrownBy(() -> SshTarget.parse(URI.create("ssh://h1/some/path")))
        .hasMessageContaining("has a path; write ssh://[user@]host[:port][?java=PATH&cache=DIR&classpath=ship|verify]");
    assertThatThrownBy(() -> SshTarget.parse(URI.create("ssh://bob:secret@h1")))
        .hasMessageContaining("no password in the URI");
    assertThatThrownBy(() -> SshTarget.parse(URI.create("ssh:///")))
        .hasMessageContaining("names no host");
  }

  @Test
  void theSshCommandIsSplitAsAShellWould() {
    assertThat(ShellWords.split("ssh -F '/my dir/config' -i \"$KEY x\" -o A\\ B"))
        .containsExactly("ssh", "-F", "/my dir/config", "-i", "$KEY x", "-o", "A B");
    assertThatThrownBy(() -> ShellWords.split("ssh -i 'key")).hasMessageContaining("unclosed '");
  }

  @Test
  void quotedWordsSurviveAShell() throws Exception {
    List<String> words = List.of("a b", "it's", "$HOME", "`x`", "\"q\"", "");
    Process sh = new ProcessBuilder("sh", "-c", "printf '[%s]' " + ShellWords.join(words)).start();
    assertThat(new String(sh.getInputStream().readAllBytes()))
        .isEqualTo("[a b][it's][$HOME][`x`][\"q\"][]");
  }

  @Test
  void settingsComeFromTheEnvironment() {
    SshSettings settings = SshSettings.fromEnvironment(Map.of(
        "RPC_PARALLEL_SSH", "ssh -F cfg", "RPC_PARALLEL_SSH_JAVA", "/opt/jdk/bin/java",
        "RPC_PARALLEL_SSH_CLASSPATH", "verify"));
    assertThat(settings.sshCommand()).containsExactly("ssh", "-F", "cfg");
    assertThat(settings.remoteJava()).isEqualTo("/opt/jdk/bin/java");
    assertThat(settings.classPathMode()).isEqualTo(SshSettings.ClassPathMode.VERIFY);
    assertThatThrownBy(() -> SshSettings.fromEnvironment(Map.of("RPC_PARALLEL_SSH_CLASSPATH", "copy")))
        .hasMessage("RPC_PARALLEL_SSH_CLASSPATH=copy is not a mode: use ship or verify");
  }

  @Test
  void theRemoteJavaVersionIsRead() {
    assertThat(RemoteProbe.parse("java-status 0\njava-says openjdk version \"1.8.0_392\"\n").javaFeature())
        .hasValue(8);
    assertThat(RemoteProbe.parse("java-status 0\njava-says openjdk version \"21.0.2\" 2024-01-16\n").javaFeature())
        .hasValue(21);
    assertThat(RemoteProbe.parse("java-status 0\njava-says openjdk version \"25\" 2025-09-16\n").javaFeature())
        .hasValue(25);
  }
}
