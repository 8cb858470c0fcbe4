/**
 * Map-reduce over a pool of worker processes: {@link dev.rpcparallel.mapreduce.MapReduce}.
 */
package dev.rpcparallel.mapreduce;
