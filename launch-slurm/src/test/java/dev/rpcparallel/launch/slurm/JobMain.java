package dev.rpcparallel.launch.slurm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The process the integration tests run as a Slurm job. Args: marker mode exit-code. Prints its
 * host, job id, directory and an environment value, then "ready", on stdout and a line on
 * stderr; mode {@code echo} echoes stdin lines and exits with the code at end-of-file; mode
 * {@code ignore-stdin} never reads stdin and sleeps until ended.
 */
public final class JobMain {
  private JobMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println("host " + InetAddress.getLocalHost().getHostName());
    System.out.println("job " + System.getenv("SLURM_JOB_ID"));
    System.out.println("cwd " + System.getProperty("user.dir"));
    System.out.println("env " + System.getenv("JOB_MAIN_VALUE"));
    System.out.println("ready");
    System.out.flush();
    System.err.println("stderr of " + args[0]);
    System.err.flush();
    if (args[1].equals("ignore-stdin")) {
      Thread.sleep(Long.MAX_VALUE);
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      System.out.println("echo " + line);
      System.out.flush();
    }
    System.exit(Integer.parseInt(args[2]));
  }
}
