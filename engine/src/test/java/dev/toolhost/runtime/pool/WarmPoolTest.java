package dev.toolhost.runtime.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolhost.api.Json;
import dev.toolhost.config.Isolation;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.runtime.CallOutcome;
import dev.toolhost.runtime.RunningCall;
import dev.toolhost.runtime.RuntimeCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How the shared warm pool hands out, retires and replaces members. */
class WarmPoolTest {

  /** A member that is ready at once and answers a call when the test completes it. */
  private static final class ManualMember implements PoolMember {
    final String name;
    final List<String> events;
    final Consumer<ManualMember> onDeath;
    Promise<CallOutcome> call;
    int served;
    boolean dead;

    ManualMember(String name, List<String> events, Consumer<ManualMember> onDeath) {
      this.name = name;
      this.events = events;
      this.onDeath = onDeath;
      events.add(name + " started");
    }

    @Override public Future<?> ready() { return Future.succeededFuture(); }
    @Override public boolean isDead() { return dead; }
    @Override public int callsServed() { return served; }
    @Override public boolean wantsRetirement() { return false; }

    @Override
    public RunningCall start(RuntimeCall request) {
      served++;
      call = Promise.promise();
      return new RunningCall() {
        @Override public Future<CallOutcome> result() { return call.future(); }
        @Override public void cancel() { kill(); }
      };
    }

    @Override
    public Future<Void> kill() {
      events.add(name + " killed");
      dead = true;
      onDeath.accept(this);
      return Future.succeededFuture();
    }
  }

  private static RuntimeCall call() {
    return new RuntimeCall("t", "e", Json.MAPPER.createObjectNode(), Map.of(), null, Isolation.FRESH,
        PermissionPolicy.DEFAULT, 1000, 1000, 1000, null);
  }

  @Test
  void aSpentFreshMemberIsReplacedOnlyAfterItsCallerHasTheAnswer() {
    List<String> events = new ArrayList<>();
    List<ManualMember> members = new ArrayList<>();
    WarmPool<ManualMember> pool = new WarmPool<>(onDeath -> {
      ManualMember m = new ManualMember("m" + (members.size() + 1), events, onDeath);
      members.add(m);
      return m;
    }, Isolation.FRESH, 1, m -> Future.succeededFuture(true));

    RunningCall running = pool.start(call());
    running.result().onSuccess(outcome -> events.add("answered"));
    members.get(0).call.complete(new CallOutcome(Json.MAPPER.createObjectNode(), List.of()));

    assertEquals(List.of("m1 started", "answered", "m1 killed", "m2 started"), events);
    assertEquals(1, pool.liveMembers(), "the spent member was replaced");
  }
}
