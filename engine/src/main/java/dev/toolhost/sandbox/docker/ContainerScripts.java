package dev.toolhost.sandbox.docker;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell snippets {@link DockerSandbox} runs in its container with {@code /bin/sh -c}: only
 * POSIX sh, coreutils, grep, find and tar are needed from the image. Paths given to them were checked
 * by {@link dev.toolhost.sandbox.spi.SandboxPaths} already (relative, no {@code ..}); {@code check}
 * then refuses a symlink on the way that leaves the workspace or points nowhere, where the links
 * are: in the container. A refusal is exit {@value #REFUSED} with the path and why on stderr; a
 * missing file exit {@value #MISSING}; a file over the limit exit {@value #TOO_BIG} with its size.
 */
final class ContainerScripts {
  static final String WORKSPACE = "/workspace";
  static final int REFUSED = 65;
  static final int MISSING = 66;
  static final int TOO_BIG = 67;

  private static final String LIBRARY = """
      W=/workspace
      refuse() { printf '%s\\n%s' "$1" "$2" >&2; exit 65; }
      missing() { printf '%s' "$1" >&2; exit 66; }
      check() {
        cur=$W; rest=$1
        while [ -n "$rest" ]; do
          seg=${rest%%/*}
          if [ "$seg" = "$rest" ]; then rest=; else rest=${rest#*/}; fi
          cur=$cur/$seg
          if [ -L "$cur" ]; then
            t=$(readlink -e -- "$cur") || refuse "$1" "goes through a symlink that points nowhere"
            case "$t" in "$W"|"$W"/*) ;; *) refuse "$1" "goes through a symlink pointing outside the sandbox";; esac
          fi
        done
      }
      dir() { check "$1"; d=$W${1:+/$1}; [ -d "$d" ] && [ ! -L "$d" ] || missing "$1"; }
      """;

  private ContainerScripts() {}

  /** Prints the file at {@code path} unless it is over {@code limit} bytes. */
  static List<String> read(String path, long limit) {
    return sh("""
        check "$1"; f=$W/$1; [ -f "$f" ] || missing "$1"
        s=$(stat -L -c %s -- "$f"); [ "$s" -le "$2" ] || { printf '%s' "$s" >&2; exit 67; }
        exec cat -- "$f"
        """, path, Long.toString(limit));
  }

  /** Removes a file or a directory with everything in it (links removed, never followed). */
  static List<String> delete(String path) {
    return sh("""
        check "$1"; f=$W/$1; [ -e "$f" ] || [ -L "$f" ] || missing "$1"
        exec rm -rf -- "$f"
        """, path);
  }

  /** Everything under a directory, NUL-separated {@code TYPE SIZE PATH} with {@code d} for directories. */
  static List<String> list(String path) {
    return sh("""
        dir "$1"; exec find "$W${1:+/$1}" -mindepth 1 -printf '%y %s %p\\0'
        """, path);
  }

  /**
   * Checks {@code paths}, then extracts the tar archive of {@code size} bytes on stdin into the
   * workspace. Sized, since the daemon's client cannot close an exec's stdin: docker-java never
   * half-closes the connection, so a reader of stdin would wait for its end forever.
   */
  static List<String> extract(long size, List<String> paths) {
    List<String> args = new ArrayList<>(List.of(Long.toString(size)));
    args.addAll(paths);
    return sh("""
        n=$1; shift
        for p; do check "$p"; done
        head -c "$n" | tar -x -m --no-same-owner --no-same-permissions -C "$W" -f -
        """, args.toArray(String[]::new));
  }

  /** Checks {@code paths} only (a mount too large for one command line checks in parts). */
  static List<String> check(List<String> paths) {
    return sh("for p; do check \"$p\"; done\n", paths.toArray(String[]::new));
  }

  /** Where a command will run: {@code cwd} ({@code ""}: the workspace) is a directory, {@code command} (may be null) is on PATH. */
  static List<String> prepare(String cwd, String command) {
    return sh("""
        dir "$1"; [ -z "$2" ] || command -v -- "$2" >/dev/null || { printf 'command' >&2; exit 66; }
        """, cwd, command == null ? "" : command);
  }

  /**
   * Writes the {@code size} bytes on stdin to {@code snippet}, runs {@code interpreter... snippet}
   * with an empty stdin, removes the snippet, exits as the interpreter did.
   */
  static List<String> snippet(long size, String snippet, List<String> interpreter) {
    List<String> args = new ArrayList<>(List.of(Long.toString(size), snippet));
    args.addAll(interpreter);
    return sh("""
        n=$1; f=$2; shift 2; head -c "$n" > "$f" || exit 126
        "$@" "$f" </dev/null; s=$?; rm -f -- "$f"; exit $s
        """, args.toArray(String[]::new));
  }

  /**
   * Runs {@code command} with its stdin fed through a FIFO from framed stdin: a line with a byte
   * count, then that many bytes; a count of 0 closes the command's stdin, which the exec's own
   * stdin cannot (see {@link #extract}). The feeder reads through fd 3: sh gives a background
   * job /dev/null as its stdin.
   */
  static List<String> interactive(List<String> command) {
    List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", """
        p=/tmp/.toolhost-stdin-$$; mkfifo -m 600 "$p" || exit 126
        exec 3<&0
        ( while read -r n && [ "$n" -gt 0 ]; do head -c "$n"; done <&3 >"$p" 2>/dev/null ) &
        f=$!
        exec 3<&-
        "$@" <"$p"; s=$?; kill $f 2>/dev/null; rm -f -- "$p"; exit $s
        """, "sh"));
    line.addAll(command);
    return line;
  }

  /**
   * Kills with SIGKILL every process whose environment holds {@code TOOLHOST_EXEC=token}: the
   * process an exec started and all its descendants, even those that left its process group,
   * again until none is left (a fork racing the kill).
   */
  static List<String> kill(String token) {
    return List.of("/bin/sh", "-c", """
        t="TOOLHOST_EXEC=$1"; n=0
        while [ $n -lt 10 ]; do
          found=
          for e in /proc/[0-9]*/environ; do
            if grep -qzx -- "$t" "$e" 2>/dev/null; then p=${e#/proc/}; kill -KILL "${p%/environ}" 2>/dev/null && found=1; fi
          done
          [ -n "$found" ] || break
          n=$((n+1))
        done
        """, "sh", token);
  }

  /** Exits 0 when something listens on TCP {@code port} (as the container's /proc/net says). */
  static List<String> listening(int port) {
    return List.of("grep", "-sqE", String.format("^ *[0-9]+: [0-9A-F]+:%04X [0-9A-F]+:[0-9A-F]+ 0A ", port),
        "/proc/net/tcp", "/proc/net/tcp6");
  }

  private static List<String> sh(String body, String... args) {
    List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", LIBRARY + body, "sh"));
    line.addAll(List.of(args));
    return line;
  }
}
