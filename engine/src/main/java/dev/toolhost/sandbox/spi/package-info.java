/**
 * What sandbox strategies share: path rules, bounded output, the dev-server readiness watch.
 * Used by the strategies' packages, not by callers of {@link dev.toolhost.sandbox.Sandbox}.
 */
package dev.toolhost.sandbox.spi;
