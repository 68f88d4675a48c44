package dev.toolhost.api;

/** One line a tool logged during a call: {@code debug|info|warn|error} and the text. */
public record LogEntry(String level, String message) {}
