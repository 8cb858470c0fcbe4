package dev.rpcparallel.launcher.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rpcparallel.api.WorkerAccess;
import dev.rpcparallel.api.WorkerRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaning of entries left by processes that died without removing theirs. */
class WorkerEntriesTest {
    @TempDir
    Path dir;

    @Test
    void anArchiveMakersRehearsedEntryIsDeletedOnceItsProcessIsGoneNotBefore() throws Exception {
        RuntimeDirectory runtime = RuntimeDirectory.at(dir.resolve("rt"));
        Path workers = runtime.ensurePrivate(runtime.workers());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long self = ProcessHandle.current().pid();
        Path deadMaker = workers.resolve(".dead-cds-archive.rehearsal");
        Path liveMaker = workers.resolve(".live-cds-archive.rehearsal");
        Path liveWorker = workers.resolve("live.worker");
        new AccessFile(access("dead-cds-archive"), gone.pid(), gone.pid(), 0, "").writeTo(deadMaker);
        new AccessFile(access("live-cds-archive"), self, self, 0, "").writeTo(liveMaker);
        new AccessFile(access("live"), self, self, 0, "").writeTo(liveWorker);

        new WorkerEntries(runtime).deleteStale();

        assertThat(deadMaker).as("the rehearsal of a maker killed before it deleted it").doesNotExist();
        assertThat(liveMaker).as("a rehearsal its running maker is about to delete").exists();
        assertThat(liveWorker).exists();
        assertThat(new WorkerEntries(runtime).live()).extracting(entry -> entry.access().worker().id())
                .containsExactly("live");
    }

    private static WorkerAccess access(String id) {
        return WorkerAccess.of(new WorkerRef("t", id, id, "unix:///nowhere.sock"), new byte[] {1});
    }
}
