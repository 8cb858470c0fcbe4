package dev.rpcparallel.launcher.protocol;

import dev.rpcparallel.api.RpcSettings;

/**
 * The memory bounds of one process's streams, from its settings: the window of pipes, states'
 * updates and reverse pipes' updates, and the bound of direct pipes; and the message of a direct
 * pipe that went past its bound.
 *
 * @param window what a flow-controlled stream's producer may have outstanding
 * @param directPipe what a direct pipe may have pushed and not yet had taken by the callback
 */
public record StreamLimits(FlowControl.Window window, FlowControl.Window directPipe) {

    public static StreamLimits of(RpcSettings settings) {
        return new StreamLimits(FlowControl.Window.of(settings), FlowControl.Window.directPipe(settings));
    }

    /**
     * Why a direct pipe failed: the element of {@code size} bytes does not fit beside the
     * {@code queued} bytes pushed and not yet taken by the caller's callback.
     *
     * @param label the pipe and its worker: {@code "direct pipe 'ticks' of worker 'w'"}
     */
    public String consumerTooSlow(String label, long queued, int size) {
        return label + " failed, consumer too slow: " + queued + " bytes were pushed and not yet taken by the"
                + " caller's callback, and " + size + " more would pass the bound of " + directPipe.bytes()
                + " bytes (directPipeQueueBytes). Make the callback faster or hand its work to another thread,"
                + " use a pipe (which waits for its consumer), or raise the bound with"
                + " RpcSettings.withDirectPipeQueueBytes or " + RpcSettings.ENVIRONMENT_VARIABLE
                + "=directPipeQueueBytes=64MiB";
    }
}
