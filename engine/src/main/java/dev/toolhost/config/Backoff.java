package dev.toolhost.config;

import java.time.Duration;

/** Exponential retry backoff: first delay, cap per delay, and the bound on all attempts. */
public record Backoff(Duration initialInterval, Duration maxInterval, Duration maxElapsedTime) {}
