package dev.toolhost.cli;

/** A command line that cannot be run; the message says what to change. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
