package dev.toolhost.runtime.pool;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A runtime's pools by key (what is fixed when a member starts: isolation, policy, tool...),
 * made on first use, counted together, closed together.
 */
public final class WarmPools<K, M extends PoolMember> {
  private final Map<K, WarmPool<M>> pools = new ConcurrentHashMap<>();

  public WarmPool<M> get(K key, Function<K, WarmPool<M>> create) {
    return pools.computeIfAbsent(key, create);
  }

  /** Members alive in all pools. */
  public int liveMembers() {
    return pools.values().stream().mapToInt(WarmPool::liveMembers).sum();
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    pools.values().forEach(pool -> closing.add(pool.close()));
    return Future.join(closing).mapEmpty();
  }
}
