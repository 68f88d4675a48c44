// @bun (first line: Bun runs this plain ES module as it is, without its transpiler, ~0.5 ms less per file at a worker's start)
// The worker's channel on Bun: the unix socket opened with Bun.connect. node:net works on Bun too,
// but loading it costs a Bun worker about 10 ms of CPU at start (Bun's net.Socket is JavaScript
// over these same sockets). This is the part worker.mjs uses: on("data" | "close" | "error") and
// write(text), with writes kept in order and nothing lost when the socket is full.

export function connectChannel(path) {
  const handlers = { data: null, close: null, error: null };
  const decoder = new TextDecoder(); // streaming: a character split between chunks is kept whole
  const encoder = new TextEncoder();
  const pending = []; // bytes the socket has not taken yet, in order
  let native = null; // the socket, once open

  function flush() {
    while (pending.length !== 0) {
      const bytes = pending[0];
      const written = native.write(bytes);
      if (written < 0) return; // closed: the close handler ends the worker
      if (written < bytes.length) {
        pending[0] = bytes.subarray(written); // the rest goes on drain
        return;
      }
      pending.shift();
    }
  }

  Bun.connect({
    unix: path,
    socket: {
      open(socket) {
        native = socket;
        flush();
      },
      data(socket, chunk) {
        try {
          handlers.data(decoder.decode(chunk, { stream: true }));
        } catch (err) {
          queueMicrotask(() => {
            throw err; // an uncaught exception, as a throw in a net.Socket listener is on Node
          });
        }
      },
      drain: flush,
      end: (socket) => socket.end(), // the engine hung up: no half-open channel
      close: () => handlers.close(),
      error: (socket, err) => handlers.error(err),
      connectError: (socket, err) => handlers.error(err),
    },
  }).catch((err) => handlers.error(err));

  return {
    on(event, handler) {
      handlers[event] = handler;
    },
    write(text) {
      if (native !== null && pending.length === 0) {
        const written = native.write(text);
        if (written < 0) return;
        const length = Buffer.byteLength(text);
        if (written === length) return;
        pending.push(encoder.encode(text).subarray(written));
        return;
      }
      pending.push(encoder.encode(text));
    },
  };
}
