package dev.toolhost.cli;

import dev.toolhost.runtime.Availability;
import dev.toolhost.runtime.ToolSet;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code doctor}: which runtimes are usable here, and for those that are not, why and how to fix
 * it; then bundling (esbuild) and the catalog's load errors.
 */
final class DoctorCommand implements Command {
  private final PrintStream out;

  DoctorCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public int run(List<String> argv) {
    CliArgs args = CliArgs.parse(argv, CliSession.COMMON_FLAGS, Set.of());
    try (CliSession session = CliSession.start(CliSession.config(args))) {
      String defaultRuntime = session.engine.config().runtime();
      out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
      boolean defaultUsable = false;
      for (Availability a : CliSession.await(session.engine.doctor())) {
        String mark = a.usable() ? "ok " : "-- ";
        String marker = a.runtime().equals(defaultRuntime) ? " (default)" : "";
        out.println(mark + a.runtime() + marker + (a.version() == null ? "" : " " + a.version()) + ": " + a.detail());
        if (a.hint() != null && !a.usable()) out.println("    fix: " + a.hint());
        if (a.runtime().equals(defaultRuntime)) defaultUsable = a.usable();
      }
      Availability bundling = session.engine.bundling();
      out.println((bundling.usable() ? "ok " : "-- ") + "bundling" + (bundling.version() == null ? "" : " " + bundling.version())
          + ": " + bundling.detail());
      if (bundling.hint() != null) out.println("    fix: " + bundling.hint());
      out.println("tools: " + session.engine.catalog().tools().size() + " from "
          + session.engine.config().tools().toAbsolutePath().normalize());
      for (ToolSet.LoadError e : session.engine.catalog().errors()) {
        out.println("    load error" + (e.module() == null ? "" : " in " + e.module()) + ": " + e.message());
      }
      return defaultUsable ? ExitCodes.OK : 1;
    }
  }
}
