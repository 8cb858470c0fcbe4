package dev.rpcparallel.spi;

import dev.rpcparallel.api.annotation.API;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a {@link WorkerPlugin} class at compile time. With the annotation processor
 * {@code dev.rpcparallel:rpc-parallel-processor} on the compiler's processor path, every class
 * of the compilation that carries it is written to the jar's two registration files:
 * {@code META-INF/services/dev.rpcparallel.spi.WorkerPlugin} (the class) and
 * {@code META-INF/rpc-parallel/workers.list} (the line {@code NAME = CLASS}, in the order of the
 * type names), so that a plugin author writes no {@code META-INF} file by hand.
 *
 * <pre>{@code
 * @RpcParallelWorker("primes")
 * public final class PrimesWorker implements WorkerPlugin<Void, Void, Void, Void> {
 *     public WorkerType<Void, Void> type() { return Primes.TYPE; }   // WorkerType.of("primes", ...)
 *     ...
 * }
 * }</pre>
 *
 * <p>The processor cannot run the plugin's code, so the annotation repeats the worker type name
 * that {@link WorkerPlugin#type()} returns; the registry checks at load that the two agree and
 * fails with a message naming both otherwise. The processor fails the compilation if the
 * annotated class is not a public, non-abstract {@code WorkerPlugin} with a public no-argument
 * constructor, or if the name is empty or not a valid worker type name.
 */
@API(status = API.Status.STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RpcParallelWorker {
    /** The worker type name: the name of the {@code WorkerType} that the plugin's {@code type()} returns. */
    String value() default "";
}
