/*
 * The calculator sample: a plain Thrift service served as the rpc-parallel worker type
 * "calculator" (see the README's "Thrift services" section).
 *
 * Every method of the service is one function of the worker type, numbered by the order of the
 * method names sorted by their UTF-8 bytes; the argument is the method's `<name>_args` struct and
 * the result its `<name>_result` struct, both in Thrift's compact protocol.
 *
 * Regenerate the Java sources (committed under src/main/java) with a Thrift compiler 0.21 or newer:
 *   thrift --gen java:generated_annotations=suppress,future_iface -out plugins-sample/src/main/java \
 *       plugins-sample/src/main/thrift/calculator.thrift
 */
namespace java dev.rpcparallel.sample.calculator.thrift
namespace py rpc_parallel_sample.calculator

/** The four operations of the calculator. */
enum Operation {
  ADD = 1,
  SUBTRACT = 2,
  MULTIPLY = 3,
  DIVIDE = 4
}

/** One operation on two operands: what `calculate` computes. */
struct Work {
  1: i32 num1 = 0,
  2: i32 num2,
  3: Operation op,
  4: optional string comment
}

/** Declared by `calculate`: the operation cannot be done (division by zero, unknown operation). */
exception InvalidOperation {
  1: i32 whatOp,
  2: string why
}

service Calculator {
  /** Answers the caller straight away: a round trip with no work. */
  void ping(),

  /** The sum of two numbers. */
  i32 add(1: i32 num1, 2: i32 num2),

  /** Does one operation; an operation it cannot do fails with InvalidOperation. */
  i32 calculate(1: i32 logid, 2: Work w) throws (1: InvalidOperation ouch),

  /** How many `calculate` calls this worker has answered, counting failed ones. */
  i64 calculations(),

  /** Records a note in the worker's log; the caller does not wait. */
  oneway void note(1: string text)
}
