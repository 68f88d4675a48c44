package dev.toolhost.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Why an invocation failed: one record per error type of DESIGN.md. Transports map these to
 * their wire form once (HTTP status, event-bus failure code, CLI exit code).
 */
public sealed interface ToolError
    permits InvalidRequest, InvalidInput, ToolNotFound, ToolFailure, InvalidOutput,
        OutputLimitExceeded, Timeout, PermissionDenied, ProcessError, RuntimeUnavailable,
        Overloaded, Cancelled, NotFound {

  /** The wire name, e.g. {@code TIMEOUT}. */
  String type();

  String message();

  /** The HTTP status DESIGN.md assigns to this type. */
  int httpStatus();

  /** Whether the engine retries this error unless configured otherwise. */
  default boolean retryableByDefault() {
    return false;
  }

  /** Adds the type-specific fields of the failure JSON. */
  default void writeFields(ObjectNode node) {}
}
