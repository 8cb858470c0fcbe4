package dev.rpcparallel.launcher.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InheritedJvmOptionsTest {
    @TempDir
    Path temp;

    private static List<String> forWorker(String workerName, String... masterOptions) {
        return InheritedJvmOptions.forWorker(List.of(masterOptions), workerName);
    }

    @Test
    void ordinaryOptionsPassUnchangedAndInOrder() {
        assertThat(forWorker("w", "-Xmx256m", "-Dfoo=bar", "-XX:+UseG1GC", "-ea"))
                .containsExactly("-Xmx256m", "-Dfoo=bar", "-XX:+UseG1GC", "-ea");
    }

    @Test
    void theDebuggerAgentIsDropped() {
        assertThat(forWorker("w", "-Xmx64m", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005",
                "-Xdebug", "-Xrunjdwp:transport=dt_socket,address=5006")).containsExactly("-Xmx64m");
    }

    @Test
    void theJmxAgentsPortsAreDroppedAndItsOtherSettingsKept() {
        assertThat(forWorker("w", "-Dcom.sun.management.jmxremote",
                "-Dcom.sun.management.jmxremote.port=9010",
                "-Dcom.sun.management.jmxremote.rmi.port=9011",
                "-Dcom.sun.management.config.file=/etc/jmx.properties",
                "-Dcom.sun.management.jmxremote.authenticate=false"))
                .containsExactly("-Dcom.sun.management.jmxremote", "-Dcom.sun.management.jmxremote.authenticate=false");
    }

    @Test
    void aCdsDumpFileAndTheMastersLaunchPropertiesAreDropped() {
        assertThat(forWorker("w", "-XX:ArchiveClassesAtExit=app.jsa", "-Djava.class.path=a.jar",
                "-Dsun.java.command=Main", "-Djdk.module.main=m", "-Xss1m")).containsExactly("-Xss1m");
    }

    @Test
    void aHeapDumpFileGetsTheWorkersName() {
        assertThat(forWorker("counter-1", "-XX:HeapDumpPath=/var/dumps/heap.hprof"))
                .containsExactly("-XX:HeapDumpPath=/var/dumps/heap-counter-1.hprof");
        assertThat(forWorker("counter-1", "-XX:HeapDumpPath=dump")).containsExactly("-XX:HeapDumpPath=dump-counter-1");
    }

    @Test
    void aHeapDumpDirectoryIsKept() {
        // The JVM names a dump in a directory java_pid<pid>.hprof: already one per process.
        assertThat(forWorker("counter-1", "-XX:HeapDumpPath=" + temp))
                .containsExactly("-XX:HeapDumpPath=" + temp);
    }

    @Test
    void aFlightRecordingFileGetsTheWorkersNameAndItsOtherParametersStay() {
        assertThat(forWorker("alpha", "-XX:StartFlightRecording=duration=30s,filename=/tmp/rec.jfr,settings=profile"))
                .containsExactly("-XX:StartFlightRecording=duration=30s,filename=/tmp/rec-alpha.jfr,settings=profile");
        assertThat(forWorker("alpha", "-XX:StartFlightRecording:filename=rec.jfr"))
                .containsExactly("-XX:StartFlightRecording:filename=rec-alpha.jfr");
    }

    @Test
    void aFlightRecordingWithoutAFileOrIntoADirectoryIsKept() {
        assertThat(forWorker("alpha", "-XX:StartFlightRecording", "-XX:StartFlightRecording=dumponexit=true",
                "-XX:StartFlightRecording=filename=" + temp))
                .containsExactly("-XX:StartFlightRecording", "-XX:StartFlightRecording=dumponexit=true",
                        "-XX:StartFlightRecording=filename=" + temp);
    }

    @Test
    void aUnifiedLoggingFileGetsTheWorkersName() {
        assertThat(forWorker("beta", "-Xlog:gc*:file=/logs/gc.log:time,uptime:filecount=5,filesize=10m"))
                .containsExactly("-Xlog:gc*:file=/logs/gc-beta.log:time,uptime:filecount=5,filesize=10m");
        assertThat(forWorker("beta", "-Xlog:gc:gc.log")).containsExactly("-Xlog:gc:gc-beta.log");
        assertThat(forWorker("beta", "-Xlog:gc:file=\"C:\\logs\\gc.log\":uptime"))
                .containsExactly("-Xlog:gc:file=\"C:\\logs\\gc-beta.log\":uptime");
        assertThat(forWorker("beta", "-Xlog:safepoint:file=gc-%p.log"))
                .containsExactly("-Xlog:safepoint:file=gc-%p-beta.log");
        assertThat(forWorker("beta", "-Xloggc:/logs/gc.log")).containsExactly("-Xloggc:/logs/gc-beta.log");
    }

    @Test
    void unifiedLoggingToTheConsoleIsKept() {
        assertThat(forWorker("beta", "-Xlog:gc", "-Xlog:gc:stdout", "-Xlog:gc*:stderr:time", "-Xlog:gc:#1",
                "-Xlog:disable", "-Xlog"))
                .containsExactly("-Xlog:gc", "-Xlog:gc:stdout", "-Xlog:gc*:stderr:time", "-Xlog:gc:#1",
                        "-Xlog:disable", "-Xlog");
    }

    @Test
    void aWorkerNameIsMadeSafeForAFileName() {
        assertThat(forWorker("a b/c:d%p", "-XX:HeapDumpPath=heap.hprof"))
                .containsExactly("-XX:HeapDumpPath=heap-a_b_c_d_p.hprof");
    }

    @Test
    void twoWorkersNeverShareAFile() {
        String[] master = {"-XX:HeapDumpPath=h.hprof", "-XX:StartFlightRecording=filename=r.jfr",
            "-Xlog:gc:file=g.log"};
        List<String> first = forWorker("one", master);
        List<String> second = forWorker("two", master);
        for (int i = 0; i < master.length; i++) {
            assertThat(first.get(i)).isNotEqualTo(second.get(i)).isNotEqualTo(master[i]);
        }
    }
}
