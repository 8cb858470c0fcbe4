"""The Python peer of the rpc-parallel benchmarks: concurrent.futures.ProcessPoolExecutor.

Standard library only. Started by the harness as `python3 process_pool_peer.py METHOD` (spawn
or forkserver); it reads one command a line on stdin and answers one line on stdout, timing
every figure itself, since the caller of a process pool is Python:

  start                      a fresh pool of one worker; time from its creation until its
                             first 32-byte echo answered: "ok ID NANOS PID"
  rtt ID SIZE N              N blocking echoes, one after the other: "ok NANOS NANOS ..."
  rate ID SIZE INFLIGHT SEC  echoes per second, INFLIGHT submitted at all times: "ok RATE"
  bytes ID SIZE SEC MIN      argument bytes per second of blocking echoes: "ok RATE"
  stop ID                    shuts the pool down and waits for its worker: "ok"

A failure answers "error TEXT". stdin's end shuts every pool down.
"""

import concurrent.futures
import multiprocessing
import os
import sys
import threading
import time


def echo(payload):
    return payload


def pid():
    return os.getpid()


def checked(answer, size):
    if len(answer) != size:
        raise RuntimeError("echo answered %d bytes, not %d" % (len(answer), size))


def start(context, pools):
    started = time.perf_counter_ns()
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context)
    answer = pool.submit(echo, bytes(32)).result()
    ready = time.perf_counter_ns() - started
    checked(answer, 32)
    pool_id = str(len(pools) + 1)
    pools[pool_id] = pool
    return "%s %d %d" % (pool_id, ready, pool.submit(pid).result())


def round_trips(pool, size, calls):
    payload = bytes(size)
    times = []
    for _ in range(calls):
        started = time.perf_counter_ns()
        answer = pool.submit(echo, payload).result()
        times.append(time.perf_counter_ns() - started)
        checked(answer, size)
    return " ".join(str(t) for t in times)


def rate(pool, size, in_flight, seconds):
    payload = bytes(size)
    permits = threading.Semaphore(in_flight)
    completed = [0]
    failures = []

    def done(future):
        try:
            checked(future.result(), size)
        except BaseException as error:  # reported below
            failures.append(error)
        completed[0] += 1
        permits.release()

    started = time.perf_counter()
    end = started + seconds
    while time.perf_counter() < end and not failures:
        permits.acquire()
        pool.submit(echo, payload).add_done_callback(done)
    for _ in range(in_flight):
        permits.acquire()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    return "%f" % (completed[0] / elapsed)


def bytes_per_second(pool, size, seconds, min_calls):
    payload = bytes(size)
    started = time.perf_counter()
    end = started + seconds
    calls = 0
    while calls < min_calls or time.perf_counter() < end:
        checked(pool.submit(echo, payload).result(), size)
        calls += 1
    return "%f" % (calls * size / (time.perf_counter() - started))


def main():
    context = multiprocessing.get_context(sys.argv[1])
    pools = {}
    print("python %d.%d.%d %s" % (sys.version_info[:3] + (sys.argv[1],)), flush=True)
    for line in sys.stdin:
        words = line.split()
        try:
            if words[0] == "start":
                answer = start(context, pools)
            elif words[0] == "rtt":
                answer = round_trips(pools[words[1]], int(words[2]), int(words[3]))
            elif words[0] == "rate":
                answer = rate(pools[words[1]], int(words[2]), int(words[3]), float(words[4]))
            elif words[0] == "bytes":
                answer = bytes_per_second(pools[words[1]], int(words[2]), float(words[3]), int(words[4]))
            elif words[0] == "stop":
                pools.pop(words[1]).shutdown(wait=True)
                answer = ""
            else:
                raise ValueError("unknown command " + words[0])
            print(("ok " + answer).rstrip(), flush=True)
        except Exception as error:
            print("error %s: %s" % (type(error).__name__, str(error).replace("\n", " ")), flush=True)
    for pool in pools.values():
        pool.shutdown(wait=True)


if __name__ == "__main__":
    main()
