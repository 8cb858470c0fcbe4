/**
 * Map-reduce over a pool of worker processes: {@link dev.rpcparallel.api.mapreduce.MapReduce}.
 */
package dev.rpcparallel.api.mapreduce;
