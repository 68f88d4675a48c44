package dev.toolhost.sandbox;

/** How a command ended: its exit code (128 + signal when killed) and its output, decoded as UTF-8. */
public record ExecResult(int exitCode, String stdout, String stderr, double durationMs) {}
