package dev.toolhost.sandbox;

/** One entry of {@link Sandbox#list}: its path relative to the sandbox root, with {@code /} separators. */
public record FileEntry(String path, boolean directory, long size) {}
