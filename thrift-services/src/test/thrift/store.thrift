/*
 * The test service of ThriftServicesIT and ThriftServiceTest: a struct argument and result, two
 * declared exceptions, an undeclared failure, a oneway method, a void method, and
 * a meeting point that only many calls in flight at once can pass.
 *
 * Regenerate (from this module's directory) with a Thrift compiler 0.21 or newer:
 *   thrift --gen java:generated_annotations=suppress,future_iface -out src/test/java src/test/thrift/store.thrift
 */
namespace java dev.rpcparallel.thrift.testing

exception Refused {
  1: string why
}

exception Busy {
  1: i32 retryMillis
}

struct Item {
  1: string name,
  2: i64 size,
  3: optional binary payload
}

service Store {
  string serviceName(),
  Item echo(1: Item item),
  i64 total(1: list<Item> items, 2: i64 limit) throws (1: Refused refused, 2: Busy busy),
  void fail(1: string message),
  oneway void remember(1: string text),
  list<string> remembered(),
  void clear(),
  /** Returns once `parties` calls are in it at the same time (its arrival number); Refused after 30 s. */
  i32 meet(1: i32 parties) throws (1: Refused refused)
}

/** Another service: its processor does not serve Store (ThriftServiceTest). */
service Clock {
  i64 now()
}
