package dev.toolhost.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Per-tool configuration ({@code toolOverrides.<tool>}); null fields fall back to the engine's.
 * {@code config} becomes the tool's {@code ctx.config}.
 */
public record ToolSettings(
    String runtime,
    Duration timeout,
    Isolation isolation,
    JsonNode config,
    PermissionPolicy permissions) {}
