package dev.toolhost.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.config.Isolation;
import dev.toolhost.config.PermissionPolicy;
import dev.toolhost.api.LogEntry;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One attempt of an invocation, fully resolved by the engine: what to run, with which env,
 * config, isolation, policy and output limits. The deadline is enforced by the engine, which
 * cancels the {@link RunningCall}; {@code timeoutMs} is given for runtimes that report it.
 * {@code onLog} receives each line the tool logs as it arrives (for streaming transports).
 */
public record RuntimeCall(
    String tool,
    String executionId,
    JsonNode input,
    Map<String, String> env,
    JsonNode config,
    Isolation isolation,
    PermissionPolicy permissions,
    long outputLimitBytes,
    long logLimitBytes,
    long timeoutMs,
    Consumer<LogEntry> onLog) {

  public RuntimeCall {
    onLog = onLog == null ? entry -> { } : onLog;
  }
}
