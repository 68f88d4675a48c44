package dev.toolhost.sandbox;

import java.time.Duration;

/**
 * Bounds of one sandbox: the default deadline of a command, the output one command may print
 * (stdout and stderr together), the size of one file written or read through the API, and
 * whether processes reach the network (a dev server needs it to be reachable from the host).
 */
public record SandboxLimits(Duration timeout, long outputLimitBytes, long fileLimitBytes, boolean network) {}
