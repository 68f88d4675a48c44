package dev.toolhost.cli;

import java.util.List;

/** One CLI subcommand; returns the process exit status. */
interface Command {
  int run(List<String> args) throws Exception;
}
