package dev.rpcparallel.sample.wordcount;

import dev.rpcparallel.api.WorkerType;
import dev.rpcparallel.spi.FunctionTable;
import dev.rpcparallel.spi.RpcParallelWorker;
import dev.rpcparallel.spi.WorkerPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code wordcount} worker: reads a file and counts its words. It keeps no state. */
@RpcParallelWorker("wordcount")
public final class WordCountWorker implements WorkerPlugin<Void, Void, Void, Void> {

    @Override
    public WorkerType<Void, Void> type() {
        return WordCount.TYPE;
    }

    @Override
    public void defineFunctions(FunctionTable<Void, Void> functions) {
        functions.rpc(WordCount.COUNT_FILE, (call, path) ->
                // Malformed bytes become U+FFFD, which is not a letter: a stray byte splits a word.
                WordCounter.count(new String(Files.readAllBytes(Path.of(path)), StandardCharsets.UTF_8)));
    }
}
