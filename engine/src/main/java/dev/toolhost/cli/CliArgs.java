package dev.toolhost.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value}, {@code --name=value}, repeatable
 * flags, switches without a value, and positionals. Unknown flags are an error naming them.
 */
final class CliArgs {
  private final Map<String, List<String>> flags = new LinkedHashMap<>();
  private final List<String> positionals = new ArrayList<>();

  static CliArgs parse(List<String> args, Set<String> valued, Set<String> switches) {
    CliArgs out = new CliArgs();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        out.positionals.addAll(args.subList(i + 1, args.size()));  // everything after `--` is positional
        break;
      }
      if (!arg.startsWith("--")) {
        out.positionals.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(2, eq) : arg.substring(2);
      if (switches.contains(name)) {
        if (eq > 0) throw new UsageException("--" + name + " takes no value");
        out.flags.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        String value;
        if (eq > 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UsageException("--" + name + " needs a value");
        }
        out.flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return out;
  }

  String get(String name) {
    List<String> values = flags.get(name);
    return values == null ? null : values.get(values.size() - 1);
  }

  String get(String name, String fallback) {
    String value = get(name);
    return value == null ? fallback : value;
  }

  int integer(String name, int fallback) {
    String value = get(name);
    if (value == null) return fallback;
    try {
      int n = Integer.parseInt(value);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new UsageException("--" + name + " needs a positive integer, got '" + value + "'");
  }

  List<String> all(String name) {
    return flags.getOrDefault(name, List.of());
  }

  boolean has(String name) {
    return flags.containsKey(name);
  }

  List<String> positionals() {
    return positionals;
  }
}
