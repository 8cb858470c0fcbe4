package dev.rpcparallel.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rpcparallel.api.Connection;
import dev.rpcparallel.api.RpcSettings;
import dev.rpcparallel.api.SpawnOptions;
import dev.rpcparallel.api.WorkerRef;
import dev.rpcparallel.launcher.testplugins.Kinds;
import dev.rpcparallel.testbackends.TestSlurm;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers as Slurm jobs on two nodes that are other hosts: the partition of namespace nodes of
 * {@code RPC_PARALLEL_SLURM_NODES=2 .ci/slurm.sh} (each node a slurmd in a network and UTS
 * namespace of its own: its own address, loopback and hostname). The nodes share the process
 * table with this machine, so the tests see the workers' processes; the workers must not rely on
 * that (they are on another host to the launcher). Skipped, one line saying why, without that
 * partition, except under CI=true.
 */
class SlurmNodesIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String target;
    private static List<String> nodes;
    private static LauncherRuntime master;

    @BeforeAll
    static void startMaster() {
        target = "slurm://" + TestSlurm.nodesPartitionOrSkip("the tests of workers on two nodes");
        nodes = TestSlurm.nodes();
        assertThat(nodes).as("the namespace nodes").hasSizeGreaterThanOrEqualTo(2);
        master = new LauncherRuntime();
        master.initMaster(RpcSettings.defaults().withLauncher(target));
    }

    @AfterAll
    static void shutDown() {
        if (master != null) {
            master.shutdownAll();
            await().atMost(WAIT).until(() -> LocalProcesses.javaWith("rpc-parallel-worker slurm-node-").isEmpty());
        }
    }

    @Test
    void aWorkerRefPassesFromAWorkerOnOneNodeToAWorkerOnAnother() throws Exception {
        String node1 = nodes.get(0);
        String node2 = nodes.get(1);
        WorkerRef first = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("slurm-node-first")
                .launcher(target + "?extra=--nodelist=" + node1).build());
        WorkerRef second = master.spawn(Kinds.TYPE, null, SpawnOptions.builder().name("slurm-node-second")
                .launcher(target + "?extra=--nodelist=" + node2).build());
        try (Connection connection = master.connect(first, null)) {
            ProcessHandle one = onlyWorker("slurm-node-first");
            ProcessHandle two = onlyWorker("slurm-node-second");
            // Each is a job on its node: Slurm's node name, the node's own hostname and network.
            assertThat(environment(one).get("SLURMD_NODENAME")).isEqualTo(node1);
            assertThat(environment(two).get("SLURMD_NODENAME")).isEqualTo(node2);
            assertThat(hostname(one)).isEqualTo(node1);
            assertThat(hostname(two)).isEqualTo(node2);
            assertThat(namespace(one, "net")).isNotEqualTo(namespace(two, "net"))
                    .isNotEqualTo(namespace(ProcessHandle.current(), "net"));
            // Each advertises its node's own address (not loopback, not this machine's).
            assertThat(hostOf(first.address())).isEqualTo(InetAddress.getByName(node1).getHostAddress());
            assertThat(hostOf(second.address())).isEqualTo(InetAddress.getByName(node2).getHostAddress());
            // The worker on node 1 calls the worker on node 2, given its WorkerRef: across nodes.
            assertThat(connection.call(Kinds.PING_VIA, second)).isEqualTo("via");
            assertThat(connection.call(Kinds.SUM_NUMBERS_OF, second)).isEqualTo(499_500L);
            assertThat(connection.call(Kinds.PING, "from node 1")).isEqualTo("from node 1");
        } finally {
            master.shutdown(first);
            master.shutdown(second);
        }
    }

    @Test
    void killingTheMasterWithSigkillLeavesNoJobAndNoWorkerOnEitherNodeWithinFiveSeconds() throws Exception {
        // The partition spreads jobs over its least loaded node (LLN), so the master's two jobs
        // land on the two nodes without a node list, once the jobs of earlier tests have left them.
        await().atMost(WAIT).until(() -> jobsOfThePartition().isEmpty());
        try (MasterProcess child = MasterProcess.start(SlurmTestMaster.class, Map.of(), target, "2")) {
            assertThat(child.awaitReady(120)).hasSize(2);
            List<ProcessHandle> workers = LocalProcesses.javaWith("child-of-" + child.process().pid() + "@");
            assertThat(workers).hasSize(2);
            List<String> jobNames = new ArrayList<>();
            List<String> workerNodes = new ArrayList<>();
            for (ProcessHandle worker : workers) {
                jobNames.add(environment(worker).get("SLURM_JOB_NAME"));
                workerNodes.add(environment(worker).get("SLURMD_NODENAME"));
            }
            assertThat(jobNames).doesNotContainNull();
            assertThat(workerNodes).as("the nodes of the master's jobs").containsExactlyInAnyOrderElementsOf(nodes.subList(0, 2));
            assertThat(activeJobs(jobNames)).as("the jobs of the master's workers").hasSize(2);
            child.process().destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> workers.stream().noneMatch(MasterProcess::isRunning) && activeJobs(jobNames).isEmpty());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("SlurmNodesIT: Slurm jobs on two nodes and their workers gone %d ms after kill -9 of their"
                    + " master%n", millis);
            assertThat(Duration.ofMillis(millis)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** The one running worker JVM whose marker names it {@code name}. */
    private static ProcessHandle onlyWorker(String name) {
        List<ProcessHandle> found = LocalProcesses.javaWith("rpc-parallel-worker " + name + " ");
        assertThat(found).as("the worker processes named " + name).hasSize(1);
        return found.get(0);
    }

    /** The hostname {@code process} sees: that of its UTS namespace. */
    private static String hostname(ProcessHandle process) throws IOException, InterruptedException {
        Process nsenter = new ProcessBuilder("nsenter", "--uts=/proc/" + process.pid() + "/ns/uts", "hostname")
                .redirectErrorStream(true).start();
        String output = new String(nsenter.getInputStream().readAllBytes(), UTF_8).strip();
        assertThat(nsenter.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(nsenter.exitValue()).as("nsenter --uts ... hostname: " + output).isZero();
        return output;
    }

    /** The identity of {@code process}'s namespace of that kind, e.g. {@code net:[4026532281]}. */
    private static String namespace(ProcessHandle process, String kind) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "ns", kind)).toString();
    }

    private static String hostOf(String address) {
        String location = address.substring(address.indexOf("://") + 3);
        return location.substring(0, location.lastIndexOf(':'));
    }

    /** The jobs of the nodes' partition that squeue still lists (pending, running, completing). */
    private static List<String> jobsOfThePartition() throws IOException, InterruptedException {
        return squeue("-h", "--partition=" + target.substring("slurm://".length()), "-o", "%i %j %T");
    }

    /** The jobs named so that squeue still lists (pending, running, completing). */
    private static List<String> activeJobs(List<String> jobNames) throws IOException, InterruptedException {
        return squeue("-h", "--name=" + String.join(",", jobNames), "-o", "%i %j %T");
    }

    private static List<String> squeue(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("squeue"));
        command.addAll(List.of(arguments));
        Process squeue = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(squeue.getInputStream().readAllBytes(), UTF_8);
        assertThat(squeue.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(squeue.exitValue()).as("squeue: " + output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static Map<String, String> environment(ProcessHandle process) throws IOException {
        String text = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ")), UTF_8);
        Map<String, String> environment = new HashMap<>();
        Arrays.stream(text.split("\0")).filter(e -> e.indexOf('=') > 0)
                .forEach(e -> environment.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        return environment;
    }
}
