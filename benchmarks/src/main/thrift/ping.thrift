// The raw Thrift baseline of the benchmarks: a plain Thrift service, served by a
// TThreadPoolServer and called by a generated synchronous client, with the same framed transport
// and compact protocol as rpc-parallel's wire. Regenerate with a 0.21+ compiler:
//   thrift --gen java:generated_annotations=suppress -out benchmarks/src/main/java benchmarks/src/main/thrift/ping.thrift
namespace java dev.rpcparallel.benchmarks.thrift

service Ping {
  /** Returns its argument. */
  binary echo(1: binary payload)
}
