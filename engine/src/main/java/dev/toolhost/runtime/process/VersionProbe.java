package dev.toolhost.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What {@code BINARY --version} printed, or why it could not run: the first step of every
 * recipe's probe. Blocking.
 *
 * @param version the trimmed output, when the binary ran and exited 0; else null
 * @param failure why not (the binary is missing, or failed), naming the binary; else null
 */
record VersionProbe(String version, String failure) {
  static VersionProbe run(String binary) {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return new VersionProbe(null, "'" + binary + " --version' failed: " + output);
      }
      return new VersionProbe(output, null);
    } catch (IOException e) {
      return new VersionProbe(null, "cannot run '" + binary + "' (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new VersionProbe(null, "interrupted while running '" + binary + " --version'");
    }
  }
}
