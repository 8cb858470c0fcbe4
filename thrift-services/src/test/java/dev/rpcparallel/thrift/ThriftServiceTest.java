package dev.rpcparallel.thrift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rpcparallel.api.FunctionKind;
import dev.rpcparallel.api.WorkerFunction;
import dev.rpcparallel.thrift.testing.Clock;
import dev.rpcparallel.thrift.testing.Store;
import java.util.List;
import org.apache.thrift.TBaseProcessor;
import org.junit.jupiter.api.Test;

/** A generated service as functions: their order, kinds and codecs, and the refusals of wrong classes. */
class ThriftServiceTest {

    @Test
    void everyMethodIsAFunctionNumberedByMethodName() {
        List<WorkerFunction> functions = ThriftService.of(Store.Iface.class).functions();

        assertThat(functions).extracting(WorkerFunction::name).containsExactly(
                "clear", "echo", "fail", "meet", "remember", "remembered", "serviceName", "total");
        assertThat(functions).extracting(WorkerFunction::kind).containsExactly(
                FunctionKind.RPC, FunctionKind.RPC, FunctionKind.RPC, FunctionKind.RPC,
                FunctionKind.ONE_WAY, FunctionKind.RPC, FunctionKind.RPC, FunctionKind.RPC);
        assertThat(functions.get(7).signature()).isEqualTo("(thrift:dev.rpcparallel.thrift.testing.Store$total_args)"
                + " -> thrift:dev.rpcparallel.thrift.testing.Store$total_result");
        assertThat(functions.get(4).signature()).isEqualTo("(thrift:dev.rpcparallel.thrift.testing.Store$remember_args)");
    }

    @Test
    void everyGeneratedInterfaceOfAServiceGivesTheSameFunctions() {
        List<String> fromIface = ThriftService.of(Store.Iface.class).functions().stream().map(Object::toString).toList();

        assertThat(ThriftService.of(Store.FutureIface.class).functions()).map(Object::toString).isEqualTo(fromIface);
        assertThat(ThriftService.of(Store.AsyncIface.class).functions()).map(Object::toString).isEqualTo(fromIface);
        assertThat(ThriftService.of(Store.class).functions()).map(Object::toString).isEqualTo(fromIface);
        assertThat(ThriftService.of(Store.class).name()).isEqualTo("Store");
    }

    @Test
    void aClassThatIsNoGeneratedServiceIsRefusedWithTheFix() {
        assertThatThrownBy(() -> ThriftService.of(Runnable.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.Runnable is not part of a Thrift service generated for Java: java.lang.Runnable"
                        + " has no nested interface Iface. Pass the generated interface, such as Calculator.Iface.class");
    }

    @Test
    void aWorkerTypeServesTheSynchronousInterfaceOnly() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Store.Iface> async = (Class) Store.AsyncIface.class;

        assertThatThrownBy(() -> ThriftServices.workerType("store", async, Store.Processor::new))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A Thrift worker type serves the generated synchronous interface, such as"
                        + " Calculator.Iface.class, not dev.rpcparallel.thrift.testing.Store$AsyncIface");
    }

    @Test
    void aProcessorOfAnotherServiceFailsTheWorkerStartNamingTheFix() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        ThriftWorkerType<Store.Iface> type = ThriftServices.workerType("store", Store.Iface.class,
                handler -> (TBaseProcessor) new Clock.Processor<Clock.Iface>(() -> 0L));
        ThriftServiceWorker<Store.Iface> worker = new ThriftServiceWorker<>(type, StoreHandler::new) {};

        assertThatThrownBy(() -> worker.initWorkerState(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The processor of worker type 'store' does not serve the methods of Thrift service"
                        + " Store [clear, echo, fail, meet, remember, remembered, serviceName, total] (its methods:"
                        + " [now]): pass the Processor generated with the same service");
    }
}
