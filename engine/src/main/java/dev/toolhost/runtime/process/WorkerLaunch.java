package dev.toolhost.runtime.process;

import dev.toolhost.config.PermissionPolicy;

/** What a launch recipe needs to build one worker's command line. */
record WorkerLaunch(WorkerHome home, String workerId, PermissionPolicy policy) {}
