/**
 * {@link dev.rpcparallel.api.annotation.API}, the mark of what is public API and what is
 * internal. Depends on nothing, so that every package, internal ones included, can use it.
 */
package dev.rpcparallel.api.annotation;
