package dev.toolhost.sandbox;

/** A dev server whose port accepts connections; its process streams the server's log. */
public record DevServer(String url, int port, SandboxProcess process) {}
