package dev.rpcparallel.launch.ssh;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The process the integration tests launch over ssh. Args: marker mode exit-code. Prints its host
 * and "ready" on stdout and a line on stderr; mode {@code echo} echoes stdin lines and exits with
 * the code at end-of-file; mode {@code ignore-stdin} never reads stdin and sleeps until killed.
 */
public final class EchoMain {
  private EchoMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[1];
    int code = Integer.parseInt(args[2]);
    System.out.println("host " + InetAddress.getLocalHost().getHostName());
    System.out.println("cwd " + System.getProperty("user.dir"));
    System.out.println("env " + System.getenv("ECHO_MAIN_VALUE"));
    System.out.println("ssh " + System.getenv("SSH_CONNECTION"));
    System.out.println("ready");
    System.out.flush();
    System.err.println("stderr of " + args[0]);
    System.err.flush();
    if (mode.equals("ignore-stdin")) {
      Thread.sleep(Long.MAX_VALUE);
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      System.out.println("echo " + line);
      System.out.flush();
    }
    System.exit(code);
  }
}
