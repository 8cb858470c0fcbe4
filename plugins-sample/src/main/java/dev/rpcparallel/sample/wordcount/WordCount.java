package dev.rpcparallel.sample.wordcount;

import dev.rpcparallel.api.Codecs;
import dev.rpcparallel.api.RpcFunction;
import dev.rpcparallel.api.WorkerType;
import java.util.Map;

/**
 * The contract of the {@code wordcount} worker type: it counts the words of text files it reads
 * itself, so only file names and counts cross the wire. Implemented by {@link WordCountWorker}.
 */
public final class WordCount {

    /** A worker that counts words; it takes no init arguments. */
    public static final WorkerType<Void, Void> TYPE = WorkerType.of("wordcount", Codecs.none(), Codecs.none());

    /**
     * The words of the UTF-8 text file at the given absolute path, with how often each occurs
     * (see {@link WordCounter} for what a word is). A file that cannot be read fails the call
     * with the worker's {@code IOException}.
     */
    public static final RpcFunction<String, Map<String, Long>> COUNT_FILE =
            RpcFunction.of("countFile", Codecs.string(), Codecs.map(Codecs.string(), Codecs.int64()));

    private WordCount() {}
}
