package dev.toolhost.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolhost.api.LogEntry;
import java.util.List;

/** What a successful attempt produced: the output and the lines the tool logged. */
public record CallOutcome(JsonNode output, List<LogEntry> logs) {}
