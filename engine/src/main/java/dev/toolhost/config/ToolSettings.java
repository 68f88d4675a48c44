package dev.toolhost.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Per-tool configuration ({@code toolOverrides.<tool>}); null fields fall back to the engine's.
 * {@code config} becomes the tool's {@code ctx.config}; {@code dockerImage} ({@code docker.image})
 * is the image its workers run from on the docker runtime.
 */
public record ToolSettings(
    String runtime,
    Duration timeout,
    Isolation isolation,
    JsonNode config,
    PermissionPolicy permissions,
    String dockerImage) {}
