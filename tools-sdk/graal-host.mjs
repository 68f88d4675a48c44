// Toolhost GraalJS bootstrap: the in-process counterpart of worker.mjs. The engine evaluates this
// module first in every GraalJS context (SandboxPolicy.CONSTRAINED), after putting one global,
// __toolhostHost, whose members are host functions; the contract is in PROTOCOL.md, "GraalJS host".
//
// It gives tool code the globals a Node tool expects (timers, AbortController, fetch, console...)
// on top of those host functions, turns the sandbox's refusals into typed errors, and exposes
// globalThis.__toolhost { describe, invoke, cancel } to the engine. Loading tools and running calls
// is core.js, the same code the Node worker runs, so a tool gives the same answers on both.

import * as sdk from "./index.js";
import { buildCatalog, commonJsNamespace, createConsole, createRunner, format, inspect, utf8Length } from "./core.js";

// ---------------------------------------------------------------------------------------------
// The host functions: captured here, then removed from the global scope tool code sees.

const host = globalThis.__toolhostHost;
if (host == null) throw new Error("graal-host.mjs: the engine did not provide __toolhostHost");
const hostLog = host.log;
const hostSetTimer = host.setTimer;
const hostClearTimer = host.clearTimer;
const hostFetch = host.fetch;
const hostCommonJs = host.commonJs;
if (!delete globalThis.__toolhostHost) globalThis.__toolhostHost = undefined;

const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");
const SECRET = Symbol("toolhost.internal");

/** A global as Node defines its own: writable, configurable, not enumerable. */
function defineGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

/** A global tool code cannot replace or remove. */
function lockGlobal(name, value) {
  Object.defineProperty(globalThis, name, { value, writable: false, configurable: false, enumerable: false });
}

function invalidArgType(name, expected, value) {
  const err = new TypeError(`The "${name}" argument must be of type ${expected}. Received ${describeValue(value)}`);
  err.code = "ERR_INVALID_ARG_TYPE";
  return err;
}

function describeValue(value) {
  if (value == null) return String(value);
  if (typeof value === "function") return `function ${value.name}`;
  if (typeof value === "object") return "an instance of " + (value.constructor?.name ?? "Object");
  return `type ${typeof value} (${inspect(value)})`;
}

// ---------------------------------------------------------------------------------------------
// Calls: run by core.js. Logs go to the host as they happen; the answer resolves invoke's promise.

const pending = new Map(); // call id -> resolve of the promise invoke returned
let catalog = null;

/**
 * The sandbox refuses a file with an Error whose message is
 * "PERMISSION_DENIED <permission> <path>: <reason>" (the engine's file system says so).
 */
function deniedByPolicy(thrown, message) {
  if (typeof message !== "string" || !message.startsWith("PERMISSION_DENIED ")) return null;
  const firstLine = message.split("\n", 1)[0];
  const match = /^PERMISSION_DENIED (\S+) (.+?)(?:: (.*))?$/.exec(firstLine);
  if (match === null) return null;
  const [, permission, target, reason] = match;
  return {
    type: "PERMISSION_DENIED",
    message: `${reason !== undefined && reason !== "" ? reason : "access denied"}: ${permission} ${target}`,
    permission,
    target,
  };
}

function parseJson(text, fallback) {
  return text == null ? fallback : JSON.parse(String(text));
}

/** Answers a call without running it (bad arguments from the engine, a reused call id). */
function answerNow(idJson, name, message) {
  return `{"type":"error","id":${idJson},"error":${JSON.stringify({
    type: "TOOL_ERROR",
    name,
    message,
    code: null,
    stack: null,
    retryable: false,
  })},"recycle":false}`;
}

/**
 * Imports the modules to describe ([{ module, path } | { module, error }]: a bundle or source to
 * load, or a bundle error); resolves to the JSON of a ready frame's tools and errors.
 */
async function describe(modulesJson) {
  const modules = JSON.parse(String(modulesJson)).map((m) =>
    m.error != null ? { module: String(m.module), error: String(m.error) } : { path: String(m.path), module: String(m.module) },
  );
  modules.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0)); // the worker's order
  // Imported concurrently, registered in path order.
  const loading = modules.map((m) =>
    m.error !== undefined
      ? { failure: m.error }
      : loadModule(m.path).then(
          (namespace) => ({ namespace }),
          (error) => ({ error }),
        ),
  );
  const loaded = [];
  for (let i = 0; i < modules.length; i++) loaded.push({ module: modules[i].module, ...(await loading[i]) });
  catalog = buildCatalog(loaded, []);
  return `{${catalog.json}}`;
}

/** Runs one call; resolves to its result or error frame (JSON), never rejects. */
function invoke(callId, tool, inputJson, envJson, configJson, executionId, limitsJson) {
  const id = typeof callId === "string" ? callId : String(callId);
  return new Promise((resolve) => {
    if (pending.has(id)) {
      resolve(answerNow(JSON.stringify(id), "Error", `call id ${JSON.stringify(id)} is already running`));
      return;
    }
    let input;
    let env;
    let config;
    let limits;
    try {
      input = parseJson(inputJson, undefined);
      env = parseJson(envJson, {});
      config = parseJson(configJson, {});
      limits = parseJson(limitsJson, null);
    } catch (err) {
      resolve(answerNow(JSON.stringify(id), "SyntaxError", `the engine sent invalid JSON: ${err.message}`));
      return;
    }
    pending.set(id, resolve);
    try {
      runner.invoke(catalog, id, tool, input, env, config, typeof executionId === "string" ? executionId : undefined, limits);
    } catch (err) {
      // a failure of this bootstrap itself (the tool's own throws are answered by core.js)
      if (pending.get(id) === resolve) {
        pending.delete(id);
        resolve(answerNow(JSON.stringify(id), "Error", `the GraalJS bootstrap failed: ${err?.message ?? err}`));
      }
    }
  });
}

/**
 * Imports the one module of a context that serves one tool's calls. The engine's catalog already
 * describes it, so nothing is serialized; resolves to undefined.
 */
function load(path, module) {
  const rel = String(module);
  return loadModule(String(path)).then(
    (namespace) => {
      catalog = buildCatalog([{ module: rel, namespace }], [], false);
    },
    (error) => {
      catalog = buildCatalog([{ module: rel, error }], [], false);
    },
  );
}

function cancel(callId) {
  runner.cancel(typeof callId === "string" ? callId : String(callId));
}

// ---------------------------------------------------------------------------------------------
// Module loading: ES modules by import(); CommonJS through the host's commonJs(path).

const COMMONJS_HINT = /^(module|exports|require|__filename|__dirname) is not defined/;
const NODE_BUILTINS = new Set(
  ("assert assert/strict async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns " +
    "dns/promises domain events fs fs/promises http http2 https inspector module net os path path/posix path/win32 " +
    "perf_hooks process punycode querystring readline readline/promises repl stream stream/promises stream/web " +
    "string_decoder sys timers timers/promises tls trace_events tty url util util/types v8 vm wasi worker_threads zlib").split(" "),
);

function loadModule(path) {
  if (path.endsWith(".cjs")) return new Promise((resolve) => resolve(commonJsNamespace(loadCommonJs(path))));
  return import(path).catch((err) => {
    const builtin = nodeBuiltinImport(err);
    if (builtin !== null) throw builtin;
    const unbundled = unbundledImport(err);
    if (unbundled !== null) throw unbundled;
    if (!(err instanceof ReferenceError) || !COMMONJS_HINT.test(String(err.message))) throw err;
    try {
      return commonJsNamespace(loadCommonJs(path));
    } catch (cjsError) {
      // import/export syntax after all: the module's own error is the one to report
      if (cjsError instanceof SyntaxError) throw err;
      throw cjsError;
    }
  });
}

/** A failed import of a Node built-in ("node:fs", "path"...), said plainly; null for other errors. */
function nodeBuiltinImport(err) {
  const message = err !== null && typeof err === "object" ? String(err.message) : "";
  const match = /^(?:Cannot find module|Error reading module) '([^']+)'(?: imported from (\S+?)(?::|$))?/.exec(message);
  if (match === null) return null;
  const specifier = match[1];
  if (!specifier.startsWith("node:") && !NODE_BUILTINS.has(specifier)) return null;
  const builtin = new Error(
    `Cannot import '${specifier}'${match[2] !== undefined ? ` (imported from ${match[2]})` : ""}: Node.js built-in modules ` +
      "are not available on the GraalJS runtime; run this tool on node or bun",
  );
  builtin.code = "ERR_UNKNOWN_BUILTIN_MODULE";
  builtin.stack = `Error: ${builtin.message}`; // this file's frames say nothing
  return builtin;
}

/**
 * A missing import of a module that was not bundled (the engine found no esbuild): GraalJS
 * resolves imports to files only, so an npm package is "not found" beside the importing file.
 * Null for other errors. (A bundle imports nothing but Node built-ins.)
 */
function unbundledImport(err) {
  const message = err !== null && typeof err === "object" ? String(err.message) : "";
  if (!message.startsWith("Cannot find module '")) return null;
  const missing = new Error(
    `${message}: without bundling only files can be imported; npm packages need esbuild, which the engine did not find (see 'toolhost doctor')`,
  );
  missing.code = "ERR_MODULE_NOT_FOUND";
  missing.stack = `Error: ${missing.message}`; // this file's frames say nothing
  return missing;
}

function dirname(path) {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "." : slash === 0 ? "/" : path.slice(0, slash);
}

function moduleNotFound(id) {
  const err = new Error(`Cannot find module '${id}': without bundling, only @toolhost/sdk can be required`);
  err.code = "MODULE_NOT_FOUND";
  return err;
}

function makeRequire(module) {
  const require = function require(id) {
    if (id === "@toolhost/sdk") return sdk;
    throw moduleNotFound(id);
  };
  require.resolve = function resolve(id) {
    throw moduleNotFound(id);
  };
  require.cache = Object.create(null);
  require.main = module;
  return require;
}

function loadCommonJs(path) {
  const wrapper = hostCommonJs(path);
  const module = { id: path, path: dirname(path), exports: {}, filename: path, loaded: false, children: [], paths: [] };
  const require = makeRequire(module);
  module.require = require;
  wrapper.call(module.exports, module.exports, require, module, path, dirname(path));
  module.loaded = true;
  return module.exports;
}

// ---------------------------------------------------------------------------------------------
// Java interop, Polyglot and load: closed by the sandbox; here they fail with typed errors.

function accessDenied(what, permission, resource) {
  const err = new Error(`${what} is not allowed for GraalJS tools`);
  err.code = "ERR_ACCESS_DENIED";
  err.permission = permission;
  err.resource = resource;
  return err;
}

function denyingNamespace(what, permission, resourceOf) {
  return new Proxy(Object.freeze(Object.create(null)), {
    get(target, key) {
      if (typeof key === "symbol") return undefined;
      return function denied(...args) {
        throw accessDenied(what, permission, resourceOf(key, args));
      };
    },
    set() {
      return false;
    },
    defineProperty() {
      return false;
    },
  });
}

const firstString = (key, args) => (typeof args[0] === "string" ? args[0] : key);
lockGlobal("Java", denyingNamespace("Java host access", "host-access", firstString));
lockGlobal(
  "Polyglot",
  denyingNamespace("Polyglot access", "polyglot-access", (key, args) =>
    key === "evalFile" && typeof args[1] === "string" ? args[1] : firstString(key, args),
  ),
);
function scriptName(source) {
  if (typeof source === "string") return source;
  if (source !== null && typeof source === "object" && typeof source.name === "string") return source.name;
  return String(source);
}
lockGlobal("load", function load(source) {
  throw accessDenied("load()", "load", scriptName(source));
});
lockGlobal("loadWithNewGlobal", function loadWithNewGlobal(source) {
  throw accessDenied("loadWithNewGlobal()", "load", scriptName(source));
});
// GraalJS's shell printing: not in Node; what it printed would vanish anyway.
for (const name of ["print", "printErr"]) delete globalThis[name];

// ---------------------------------------------------------------------------------------------
// Timers on the host's one-shot timers; callbacks run on the context's thread.

const TIMEOUT_MAX = 2 ** 31 - 1;
let timerSequence = 0;
const activeTimers = new Map(); // public id -> Timeout

function checkCallback(callback) {
  if (typeof callback !== "function") throw invalidArgType("callback", "function", callback);
}

/** Node's rule (not a number, below 1 or above 2^31-1: 1 ms), in whole milliseconds for the host. */
function timerDelay(delay) {
  delay = Number(delay);
  return delay >= 1 && delay <= TIMEOUT_MAX ? Math.floor(delay) : 1;
}

// What Node's Timeout and Immediate objects share: ref/unref, which this host records but does not act on.
class RefHandle {
  ref() {
    this[SECRET].ref = true;
    return this;
  }

  unref() {
    this[SECRET].ref = false;
    return this;
  }

  hasRef() {
    return this[SECRET].ref;
  }
}

class Timeout extends RefHandle {
  constructor(callback, delay, args, repeat) {
    super();
    this._idleTimeout = delay;
    this._onTimeout = callback;
    this._repeat = repeat ? delay : null;
    Object.defineProperties(this, {
      [SECRET]: { value: { id: ++timerSequence, host: null, args, ref: true, fire: null } },
    });
  }

  refresh() {
    const state = this[SECRET];
    if (activeTimers.get(state.id) === this) {
      hostClearTimer(state.host);
      state.host = hostSetTimer(this._idleTimeout, state.fire);
    }
    return this;
  }

  close() {
    clearTimeout(this);
    return this;
  }

  [Symbol.toPrimitive]() {
    return this[SECRET].id;
  }
}

function startTimer(callback, delay, args, repeat) {
  checkCallback(callback);
  const timer = new Timeout(callback, timerDelay(delay), args, repeat);
  const state = timer[SECRET];
  state.fire = () => {
    if (activeTimers.get(state.id) !== timer) return;
    if (timer._repeat !== null) state.host = hostSetTimer(timer._idleTimeout, state.fire);
    else activeTimers.delete(state.id);
    try {
      timer._onTimeout(...state.args);
    } catch (err) {
      reportError(err);
    }
  };
  activeTimers.set(state.id, timer);
  state.host = hostSetTimer(timer._idleTimeout, state.fire);
  return timer;
}

function clearTimer(timer) {
  if (timer == null) return;
  const id = timer instanceof Timeout ? timer[SECRET].id : typeof timer === "number" || typeof timer === "string" ? Number(timer) : NaN;
  const found = activeTimers.get(id);
  if (found === undefined) return;
  activeTimers.delete(id);
  hostClearTimer(found[SECRET].host);
}

function setTimeout(callback, delay, ...args) {
  return startTimer(callback, delay, args, false);
}
function setInterval(callback, delay, ...args) {
  return startTimer(callback, delay, args, true);
}
function clearTimeout(timer) {
  clearTimer(timer);
}
function clearInterval(timer) {
  clearTimer(timer);
}

class Immediate extends RefHandle {
  constructor(callback, args) {
    super();
    this._onImmediate = callback;
    Object.defineProperty(this, SECRET, { value: { host: null, args, ref: true, cleared: false } });
  }
}

function setImmediate(callback, ...args) {
  checkCallback(callback);
  const immediate = new Immediate(callback, args);
  const state = immediate[SECRET];
  state.host = hostSetTimer(0, () => {
    if (state.cleared) return;
    state.cleared = true;
    try {
      callback(...args);
    } catch (err) {
      reportError(err);
    }
  });
  return immediate;
}

function clearImmediate(immediate) {
  if (!(immediate instanceof Immediate)) return;
  const state = immediate[SECRET];
  if (state.cleared) return;
  state.cleared = true;
  hostClearTimer(state.host);
}

function queueMicrotask(callback) {
  checkCallback(callback);
  Promise.resolve().then(() => {
    try {
      callback();
    } catch (err) {
      reportError(err);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// performance: its time origin is the context's start.

const timeOrigin = Date.now();
const performance = Object.freeze({
  timeOrigin,
  now: () => Date.now() - timeOrigin,
  toJSON: () => ({ timeOrigin }),
});

// ---------------------------------------------------------------------------------------------
// The Web API classes. Defining them costs a fresh context more than the rest of this bootstrap,
// and most tools use none of them: they are made on first use (the first read of one of their
// globals, ctx.signal, fetch), once per context.

let webApi = null;
const lazyGetters = new Set();

function web() {
  if (webApi === null) {
    webApi = createWebApi();
    for (const name of Object.keys(webApi)) {
      const own = Object.getOwnPropertyDescriptor(globalThis, name);
      if (own !== undefined && lazyGetters.has(own.get)) defineGlobal(name, webApi[name]);
    }
  }
  return webApi;
}

/** A global whose value is made by web() when first read; assigning it replaces it, as for any global. */
function defineLazyGlobal(name) {
  const get = () => web()[name];
  lazyGetters.add(get);
  Object.defineProperty(globalThis, name, {
    get,
    set(value) {
      defineGlobal(name, value);
    },
    configurable: true,
    enumerable: false,
  });
}

/** The global fetch and ctx.fetch: one function, which makes the Web API on its first call. */
const fetch = function fetch(input, init = undefined) {
  return web().fetch(input, init);
};

/** ctx.signal's controller for core.js (`new Controller()`): the Web API's AbortController. */
function LazyAbortController() {
  return new (web().AbortController)();
}

function createWebApi() {
  // ---------------------------------------------------------------------------------------------
  // DOMException, Event, EventTarget, AbortController, AbortSignal: the parts tools use.

  const DOM_EXCEPTION_CODES = {
    IndexSizeError: 1,
    HierarchyRequestError: 3,
    WrongDocumentError: 4,
    InvalidCharacterError: 5,
    NoModificationAllowedError: 7,
    NotFoundError: 8,
    NotSupportedError: 9,
    InvalidStateError: 11,
    SyntaxError: 12,
    InvalidModificationError: 13,
    NamespaceError: 14,
    InvalidAccessError: 15,
    TypeMismatchError: 17,
    SecurityError: 18,
    NetworkError: 19,
    AbortError: 20,
    URLMismatchError: 21,
    QuotaExceededError: 22,
    TimeoutError: 23,
    InvalidNodeTypeError: 24,
    DataCloneError: 25,
  };

  class DOMException extends Error {
    constructor(message = "", options = "Error") {
      super(String(message), options !== null && typeof options === "object" && "cause" in options ? { cause: options.cause } : undefined);
      const name = options !== null && typeof options === "object" ? (options.name === undefined ? "Error" : String(options.name)) : String(options);
      Object.defineProperty(this, "name", { value: name, writable: true, configurable: true, enumerable: false });
    }

    get code() {
      return DOM_EXCEPTION_CODES[this.name] ?? 0;
    }

    get [Symbol.toStringTag]() {
      return "DOMException";
    }
  }

  const abortReason = () => new DOMException("This operation was aborted", "AbortError");

  const eventState = new WeakMap();

  class Event {
    constructor(type, options) {
      if (arguments.length === 0) throw invalidArgType("type", "string", undefined);
      eventState.set(this, {
        type: String(type),
        bubbles: !!options?.bubbles,
        cancelable: !!options?.cancelable,
        composed: !!options?.composed,
        defaultPrevented: false,
        target: null,
        currentTarget: null,
        stop: false,
        timeStamp: Date.now(),
      });
    }
    get type() {
      return eventState.get(this).type;
    }
    get bubbles() {
      return eventState.get(this).bubbles;
    }
    get cancelable() {
      return eventState.get(this).cancelable;
    }
    get composed() {
      return eventState.get(this).composed;
    }
    get defaultPrevented() {
      const state = eventState.get(this);
      return state.cancelable && state.defaultPrevented;
    }
    get returnValue() {
      return !this.defaultPrevented;
    }
    get target() {
      return eventState.get(this).target;
    }
    get currentTarget() {
      return eventState.get(this).currentTarget;
    }
    get srcElement() {
      return this.target;
    }
    get timeStamp() {
      return eventState.get(this).timeStamp;
    }
    get isTrusted() {
      return false;
    }
    get eventPhase() {
      return eventState.get(this).currentTarget === null ? 0 : 2;
    }
    composedPath() {
      const target = eventState.get(this).currentTarget;
      return target === null ? [] : [target];
    }
    preventDefault() {
      eventState.get(this).defaultPrevented = true;
    }
    stopPropagation() {}
    stopImmediatePropagation() {
      eventState.get(this).stop = true;
    }
    get [Symbol.toStringTag]() {
      return "Event";
    }
  }
  for (const [name, value] of [["NONE", 0], ["CAPTURING_PHASE", 1], ["AT_TARGET", 2], ["BUBBLING_PHASE", 3]]) {
    Object.defineProperty(Event, name, { value, enumerable: true });
    Object.defineProperty(Event.prototype, name, { value, enumerable: true });
  }

  const listenersOf = new WeakMap(); // EventTarget -> Map(type -> [{ listener, capture, once, removed }])

  function listOf(target, type, create) {
    let byType = listenersOf.get(target);
    if (byType === undefined) {
      if (!create) return undefined;
      listenersOf.set(target, (byType = new Map()));
    }
    let list = byType.get(type);
    if (list === undefined && create) byType.set(type, (list = []));
    return list;
  }

  class EventTarget {
    addEventListener(type, listener, options) {
      if (listener == null) return;
      if (typeof listener !== "function" && typeof listener !== "object") throw invalidArgType("listener", "EventListener", listener);
      const capture = typeof options === "boolean" ? options : !!options?.capture;
      const once = options !== null && typeof options === "object" && !!options.once;
      const signal = options !== null && typeof options === "object" ? options.signal : undefined;
      if (signal !== undefined && signal.aborted) return;
      type = String(type);
      const list = listOf(this, type, true);
      if (list.some((entry) => entry.listener === listener && entry.capture === capture)) return;
      list.push({ listener, capture, once, removed: false });
      if (signal !== undefined) {
        signal.addEventListener("abort", () => this.removeEventListener(type, listener, { capture }), { once: true });
      }
    }

    removeEventListener(type, listener, options) {
      const capture = typeof options === "boolean" ? options : !!options?.capture;
      const list = listOf(this, String(type), false);
      if (list === undefined) return;
      const index = list.findIndex((entry) => entry.listener === listener && entry.capture === capture);
      if (index === -1) return;
      list[index].removed = true;
      list.splice(index, 1);
    }

    dispatchEvent(event) {
      if (!(event instanceof Event)) throw invalidArgType("event", "Event", event);
      const state = eventState.get(event);
      state.target = this;
      state.currentTarget = this;
      const list = listOf(this, state.type, false);
      if (list !== undefined) {
        for (const entry of list.slice()) {
          if (entry.removed) continue;
          if (entry.once) this.removeEventListener(state.type, entry.listener, { capture: entry.capture });
          try {
            if (typeof entry.listener === "function") entry.listener.call(this, event);
            else if (typeof entry.listener.handleEvent === "function") entry.listener.handleEvent(event);
          } catch (err) {
            reportError(err);
          }
          if (state.stop) break;
        }
      }
      state.currentTarget = null;
      return !event.defaultPrevented;
    }
  }

  const signalState = new WeakMap();

  function abortSignal(signal, reason) {
    const state = signalState.get(signal);
    if (state.aborted) return;
    state.aborted = true;
    state.reason = reason;
    signal.dispatchEvent(new Event("abort"));
  }

  class AbortSignal extends EventTarget {
    constructor(token) {
      if (token !== SECRET) throw new TypeError("Illegal constructor");
      super();
      signalState.set(this, { aborted: false, reason: undefined, onabort: null, handler: null });
    }

    get aborted() {
      return signalState.get(this).aborted;
    }

    get reason() {
      return signalState.get(this).reason;
    }

    throwIfAborted() {
      const state = signalState.get(this);
      if (state.aborted) throw state.reason;
    }

    get onabort() {
      return signalState.get(this).onabort;
    }

    set onabort(handler) {
      const state = signalState.get(this);
      state.onabort = typeof handler === "function" || (handler !== null && typeof handler === "object") ? handler : null;
      if (state.onabort !== null && state.handler === null) {
        // an event handler attribute listens from where it was first set, like a listener
        state.handler = (event) => {
          const current = state.onabort;
          if (typeof current === "function") current.call(this, event);
        };
        this.addEventListener("abort", state.handler);
      }
    }

    [INSPECT_CUSTOM](depth, options, inspectValue) {
      return `AbortSignal { aborted: ${this.aborted} }`;
    }

    static abort(reason) {
      const signal = new AbortSignal(SECRET);
      abortSignal(signal, reason === undefined ? abortReason() : reason);
      return signal;
    }

    static timeout(ms) {
      if (typeof ms !== "number") throw invalidArgType("delay", "number", ms);
      const signal = new AbortSignal(SECRET);
      hostSetTimer(timerDelay(ms), () => {
        try {
          abortSignal(signal, new DOMException("The operation was aborted due to timeout", "TimeoutError"));
        } catch (err) {
          reportError(err);
        }
      });
      return signal;
    }

    static any(signals) {
      const result = new AbortSignal(SECRET);
      for (const signal of signals) {
        if (signal.aborted) {
          abortSignal(result, signal.reason);
          return result;
        }
      }
      for (const signal of signals) {
        signal.addEventListener("abort", () => abortSignal(result, signal.reason), { once: true });
      }
      return result;
    }

    get [Symbol.toStringTag]() {
      return "AbortSignal";
    }
  }

  const controllerSignal = new WeakMap();

  class AbortController {
    constructor() {
      controllerSignal.set(this, new AbortSignal(SECRET));
    }

    get signal() {
      return controllerSignal.get(this);
    }

    abort(reason) {
      abortSignal(controllerSignal.get(this), reason === undefined ? abortReason() : reason);
    }

    [INSPECT_CUSTOM]() {
      return `AbortController { signal: AbortSignal { aborted: ${this.signal.aborted} } }`;
    }

    get [Symbol.toStringTag]() {
      return "AbortController";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // TextEncoder / TextDecoder (UTF-8), atob / btoa, structuredClone, performance.now

  function encodeUtf8(text) {
    const bytes = new Uint8Array(utf8Length(text));
    let at = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        c = 0xfffd; // a lone surrogate
      }
      if (c < 0x80) bytes[at++] = c;
      else if (c < 0x800) {
        bytes[at++] = 0xc0 | (c >> 6);
        bytes[at++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        bytes[at++] = 0xe0 | (c >> 12);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      } else {
        bytes[at++] = 0xf0 | (c >> 18);
        bytes[at++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      }
    }
    return bytes;
  }

  function decodeUtf8(bytes, fatal) {
    let out = "";
    let chunk = [];
    const bad = () => {
      if (fatal) {
        const err = new TypeError("The encoded data was not valid for encoding utf-8");
        err.code = "ERR_ENCODING_INVALID_ENCODED_DATA";
        throw err;
      }
      chunk.push(0xfffd);
    };
    let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    while (i < bytes.length) {
      const b = bytes[i];
      let need = 0;
      let c;
      let min;
      if (b < 0x80) {
        chunk.push(b);
        i++;
      } else {
        if (b >= 0xc2 && b <= 0xdf) [need, c, min] = [1, b & 0x1f, 0x80];
        else if (b >= 0xe0 && b <= 0xef) [need, c, min] = [2, b & 0x0f, 0x800];
        else if (b >= 0xf0 && b <= 0xf4) [need, c, min] = [3, b & 0x07, 0x10000];
        if (need === 0) {
          bad();
          i++;
        } else {
          let j = 1;
          for (; j <= need; j++) {
            const next = bytes[i + j];
            if (next === undefined || (next & 0xc0) !== 0x80) break;
            c = (c << 6) | (next & 0x3f);
          }
          if (j <= need || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
            bad();
            i += Math.max(1, j);
          } else {
            i += need + 1;
            if (c >= 0x10000) {
              c -= 0x10000;
              chunk.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
            } else chunk.push(c);
          }
        }
      }
      if (chunk.length > 8192) {
        out += String.fromCharCode(...chunk);
        chunk = [];
      }
    }
    return out + String.fromCharCode(...chunk);
  }

  function toBytes(input) {
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    return null;
  }

  class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(input = "") {
      return encodeUtf8(String(input));
    }
    encodeInto(source, destination) {
      const bytes = encodeUtf8(String(source));
      let read = 0;
      let written = 0;
      const text = String(source);
      for (let i = 0; i < text.length; i++) {
        const pair = text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        const size = utf8Length(pair ? text.slice(i, i + 2) : text[i]);
        if (written + size > destination.length) break;
        destination.set(bytes.subarray(written, written + size), written);
        written += size;
        read += pair ? 2 : 1;
        if (pair) i++;
      }
      return { read, written };
    }
  }

  class TextDecoder {
    constructor(label = "utf-8", options) {
      const normalized = String(label).trim().toLowerCase();
      if (normalized !== "utf-8" && normalized !== "utf8" && normalized !== "unicode-1-1-utf-8") {
        const err = new RangeError(`The "${label}" encoding is not supported`);
        err.code = "ERR_ENCODING_NOT_SUPPORTED";
        throw err;
      }
      this._fatal = !!options?.fatal;
    }
    get encoding() {
      return "utf-8";
    }
    get fatal() {
      return this._fatal;
    }
    get ignoreBOM() {
      return false;
    }
    decode(input) {
      if (input === undefined) return "";
      const bytes = toBytes(input);
      if (bytes === null) throw invalidArgType("input", "an instance of ArrayBuffer or ArrayBufferView", input);
      return decodeUtf8(bytes, this._fatal);
    }
  }

  const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  function invalidCharacter(message) {
    return new DOMException(message, "InvalidCharacterError");
  }

  function btoa(data) {
    if (arguments.length === 0) throw invalidArgType("data", "string", undefined);
    const text = String(data);
    let out = "";
    for (let i = 0; i < text.length; i += 3) {
      const a = text.charCodeAt(i);
      const b = text.charCodeAt(i + 1);
      const c = text.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw invalidCharacter("Invalid character");
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < text.length ? BASE64[(n >> 6) & 63] : "=") + (i + 2 < text.length ? BASE64[n & 63] : "=");
    }
    return out;
  }

  function atob(data) {
    if (arguments.length === 0) throw invalidArgType("data", "string", undefined);
    let text = String(data).replace(/[\t\n\f\r ]/g, "");
    if (text.length % 4 === 0) text = text.replace(/==?$/, "");
    if (text.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(text)) throw invalidCharacter("The string to be decoded is not correctly encoded.");
    let out = "";
    let bits = 0;
    let value = 0;
    for (const ch of text) {
      value = (value << 6) | BASE64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((value >> bits) & 0xff);
      }
    }
    return out;
  }

  function structuredClone(value, options) {
    const seen = new Map();
    const dataCloneError = (what) => new DOMException(`${what} could not be cloned.`, "DataCloneError");
    const clone = (v) => {
      if (typeof v === "function") throw dataCloneError(inspect(v));
      if (typeof v === "symbol") throw dataCloneError(String(v));
      if (v === null || typeof v !== "object") return v;
      if (seen.has(v)) return seen.get(v);
      let copy;
      if (Array.isArray(v)) {
        copy = new Array(v.length);
        seen.set(v, copy);
        for (const key of Object.keys(v)) copy[key] = clone(v[key]);
        return copy;
      }
      if (v instanceof Date) copy = new Date(v.getTime());
      else if (v instanceof RegExp) copy = new RegExp(v.source, v.flags);
      else if (v instanceof Map) {
        copy = new Map();
        seen.set(v, copy);
        for (const [k, x] of v) copy.set(clone(k), clone(x));
        return copy;
      } else if (v instanceof Set) {
        copy = new Set();
        seen.set(v, copy);
        for (const x of v) copy.add(clone(x));
        return copy;
      } else if (v instanceof ArrayBuffer) copy = v.slice(0);
      else if (ArrayBuffer.isView(v)) copy = new v.constructor(v);
      else if (v instanceof Error) {
        const Ctor = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }[v.name] ?? Error;
        copy = new Ctor(v.message);
        if (typeof v.stack === "string") copy.stack = v.stack;
        if ("cause" in v) copy.cause = clone(v.cause);
        seen.set(v, copy);
        return copy;
      } else if (v instanceof Number || v instanceof String || v instanceof Boolean) copy = Object(v.valueOf());
      else if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) throw dataCloneError(inspect(v));
      else {
        copy = {};
        seen.set(v, copy);
        for (const key of Object.keys(v)) copy[key] = clone(v[key]);
        return copy;
      }
      seen.set(v, copy);
      return copy;
    };
    if (arguments.length === 0) throw new TypeError("The \"value\" argument must be specified");
    return clone(value);
  }


  // ---------------------------------------------------------------------------------------------
  // fetch, Headers, Response on the host's fetch (which enforces the tool's network allowlist)

  const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const headerState = new WeakMap(); // Headers -> Map(lowercase name -> { name, values })

  function normalizeHeaderValue(value) {
    return String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  }

  function checkHeader(name, value) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`Headers: "${name}" is an invalid header name.`);
    if (/[\0\r\n]/.test(value)) throw new TypeError(`Headers: "${value}" is an invalid header value.`);
  }

  class Headers {
    constructor(init) {
      headerState.set(this, new Map());
      if (init == null) return;
      if (init instanceof Headers) {
        for (const [name, value] of headerPairs(init)) this.append(name, value);
      } else if (typeof init === "object" && typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const items = [...pair];
          if (items.length !== 2) throw new TypeError("Headers constructor: expected name/value pair to be length 2, found " + items.length + ".");
          this.append(items[0], items[1]);
        }
      } else if (typeof init === "object") {
        for (const key of Object.keys(init)) this.append(key, init[key]);
      } else {
        throw new TypeError("Headers constructor: init must be an object");
      }
    }

    append(name, value) {
      name = String(name);
      value = normalizeHeaderValue(value);
      checkHeader(name, value);
      const map = headerState.get(this);
      const key = name.toLowerCase();
      const entry = map.get(key);
      if (entry === undefined) map.set(key, { name, values: [value] });
      else entry.values.push(value);
    }

    set(name, value) {
      name = String(name);
      value = normalizeHeaderValue(value);
      checkHeader(name, value);
      headerState.get(this).set(name.toLowerCase(), { name, values: [value] });
    }

    delete(name) {
      headerState.get(this).delete(String(name).toLowerCase());
    }

    get(name) {
      const entry = headerState.get(this).get(String(name).toLowerCase());
      return entry === undefined ? null : entry.values.join(", ");
    }

    getSetCookie() {
      const entry = headerState.get(this).get("set-cookie");
      return entry === undefined ? [] : [...entry.values];
    }

    has(name) {
      return headerState.get(this).has(String(name).toLowerCase());
    }

    forEach(callback, thisArg) {
      for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
    }

    *entries() {
      const map = headerState.get(this);
      for (const key of [...map.keys()].sort()) {
        const entry = map.get(key);
        if (key === "set-cookie") for (const value of entry.values) yield [key, value];
        else yield [key, entry.values.join(", ")];
      }
    }

    *keys() {
      for (const [name] of this.entries()) yield name;
    }

    *values() {
      for (const [, value] of this.entries()) yield value;
    }

    [Symbol.iterator]() {
      return this.entries();
    }

    [INSPECT_CUSTOM]() {
      const object = {};
      for (const [name, value] of this.entries()) object[name] = value;
      return `Headers ${inspect(object)}`;
    }

    get [Symbol.toStringTag]() {
      return "Headers";
    }
  }

  /** Every name/value of a Headers, repeated names kept apart (for the host request). */
  function headerPairs(headers) {
    const pairs = [];
    for (const entry of headerState.get(headers).values()) for (const value of entry.values) pairs.push([entry.name, value]);
    return pairs;
  }

  const responseState = new WeakMap();

  function bodyText(body) {
    if (body == null) return null;
    if (typeof body === "string") return body;
    const bytes = toBytes(body);
    if (bytes !== null) return decodeUtf8(bytes, false);
    return String(body);
  }

  function unusable() {
    return new TypeError("Body is unusable: Body has already been read");
  }

  class Response {
    constructor(body = null, init = undefined) {
      const status = init?.status === undefined ? 200 : Number(init.status);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`);
      }
      const headers = new Headers(init?.headers);
      const text = bodyText(body);
      if (typeof body === "string" && !headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
      responseState.set(this, {
        body: text,
        used: false,
        status,
        statusText: init?.statusText === undefined ? "" : String(init.statusText),
        headers,
        url: "",
        redirected: false,
        type: "default",
      });
      if (init !== null && typeof init === "object" && init[SECRET] !== undefined) Object.assign(responseState.get(this), init[SECRET]);
    }

    get status() {
      return responseState.get(this).status;
    }
    get ok() {
      const status = responseState.get(this).status;
      return status >= 200 && status <= 299;
    }
    get statusText() {
      return responseState.get(this).statusText;
    }
    get headers() {
      return responseState.get(this).headers;
    }
    get url() {
      return responseState.get(this).url;
    }
    get redirected() {
      return responseState.get(this).redirected;
    }
    get type() {
      return responseState.get(this).type;
    }
    get body() {
      return null; // no streams here: read it with text(), json() or arrayBuffer()
    }
    get bodyUsed() {
      return responseState.get(this).used;
    }

    text() {
      const state = responseState.get(this);
      if (state.used) return Promise.reject(unusable());
      state.used = true;
      return Promise.resolve(state.body ?? "");
    }

    json() {
      return this.text().then((text) => JSON.parse(text));
    }

    arrayBuffer() {
      return this.text().then((text) => encodeUtf8(text).buffer);
    }

    bytes() {
      return this.text().then((text) => encodeUtf8(text));
    }

    blob() {
      return Promise.reject(new TypeError("Response.blob() is not supported by the GraalJS runtime"));
    }

    formData() {
      return Promise.reject(new TypeError("Response.formData() is not supported by the GraalJS runtime"));
    }

    clone() {
      const state = responseState.get(this);
      if (state.used) throw new TypeError("Response.clone: Body has already been consumed.");
      return new Response(state.body, {
        status: state.status,
        statusText: state.statusText,
        headers: state.headers,
        [SECRET]: { url: state.url, redirected: state.redirected, type: state.type },
      });
    }

    [INSPECT_CUSTOM]() {
      const state = responseState.get(this);
      return `Response ${inspect({ status: state.status, statusText: state.statusText, headers: state.headers, body: state.body, bodyUsed: state.used, ok: this.ok, redirected: state.redirected, type: state.type, url: state.url })}`;
    }

    get [Symbol.toStringTag]() {
      return "Response";
    }

    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Value is not JSON serializable");
      const headers = new Headers(init?.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(text, { ...init, headers });
    }

    static error() {
      const response = new Response(null, { status: 200 });
      Object.assign(responseState.get(response), { status: 0, type: "error" });
      return response;
    }

    static redirect(url, status = 302) {
      if (![301, 302, 303, 307, 308].includes(status)) throw new RangeError(`Invalid status code ${status}`);
      return new Response(null, { status, headers: { location: String(url) } });
    }
  }

  const METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]);
  const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

  function fetchFailed(cause) {
    return new TypeError("fetch failed", { cause });
  }

  /** The error the host reported: {name, message, code, permission, resource} */
  function fetchError(errorJson) {
    let info;
    try {
      info = JSON.parse(String(errorJson));
    } catch {
      info = { message: String(errorJson) };
    }
    if (info === null || typeof info !== "object") info = { message: String(info) };
    const message = typeof info.message === "string" ? info.message : "fetch failed";
    const err = info.name === "TypeError" ? new TypeError(message) : new Error(message);
    if (typeof info.name === "string" && info.name !== "" && info.name !== err.name) err.name = info.name;
    if (info.code != null) err.code = String(info.code);
    if (info.code === "ERR_ACCESS_DENIED") {
      err.permission = typeof info.permission === "string" ? info.permission : "net";
      err.resource = typeof info.resource === "string" ? info.resource : null;
    }
    if (typeof info.cause === "string") err.cause = new Error(info.cause);
    return err;
  }

  function fetch(input, init = undefined) {
    return new Promise((resolve, reject) => {
      let url;
      let method = "GET";
      let headers;
      let body = null;
      let signal = null;
      if (input !== null && typeof input === "object" && typeof input.url === "string" && !("href" in input)) {
        // a Request-like object
        url = input.url;
        if (typeof input.method === "string") method = input.method;
        headers = new Headers(input.headers);
        if (input.signal != null) signal = input.signal;
      } else {
        url = String(input);
        headers = new Headers();
      }
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) {
        throw new TypeError(`Failed to parse URL from ${url}`, { cause: new TypeError("Invalid URL") });
      }
      if (init != null) {
        if (init.method !== undefined) method = String(init.method);
        if (init.headers !== undefined) headers = new Headers(init.headers);
        if (init.body !== undefined) body = init.body;
        if (init.signal !== undefined) signal = init.signal;
      }
      const upper = method.toUpperCase();
      if (METHODS.has(upper) && upper !== "PATCH") method = upper;
      if (!HEADER_NAME.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
      if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
      const text = bodyText(body);
      if (text !== null && (method === "GET" || method === "HEAD")) throw new TypeError("Request with GET/HEAD method cannot have body.");
      if (typeof body === "string" && !headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
      if (signal !== null && signal.aborted) {
        reject(signal.reason);
        return;
      }
      const scheme = url.slice(0, url.indexOf(":")).toLowerCase();
      if (scheme !== "http" && scheme !== "https") {
        reject(fetchFailed(new Error(scheme === "data" || scheme === "blob" || scheme === "file" ? "not implemented... yet..." : "unknown scheme")));
        return;
      }
      const requestHeaders = {};
      for (const [name, value] of headers.entries()) {
        requestHeaders[name] = name in requestHeaders ? `${requestHeaders[name]}, ${value}` : value;
      }
      let settled = false;
      let onAbort = null;
      const finish = () => {
        settled = true;
        if (onAbort !== null) signal.removeEventListener("abort", onAbort);
      };
      if (signal !== null) {
        onAbort = () => {
          if (settled) return;
          finish();
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort);
      }
      hostFetch(
        JSON.stringify({ url, method, headers: requestHeaders, body: text }),
        (responseJson) => {
          if (settled) return;
          finish();
          try {
            const r = JSON.parse(String(responseJson));
            const responseHeaders = new Headers();
            for (const [name, value] of r.headers ?? []) responseHeaders.append(name, value);
            const status = Number(r.status);
            const response = new Response(null, { status: 200, headers: responseHeaders });
            Object.assign(responseState.get(response), {
              body: typeof r.body === "string" ? r.body : null,
              status,
              statusText: typeof r.statusText === "string" ? r.statusText : "",
              url: typeof r.url === "string" ? r.url : url,
              redirected: r.redirected === true || (typeof r.url === "string" && r.url !== url),
              type: "basic",
            });
            resolve(response);
          } catch (err) {
            reject(fetchFailed(err));
          }
        },
        (errorJson) => {
          if (settled) return;
          finish();
          reject(fetchError(errorJson));
        },
      );
    });
  }

  return { DOMException, Event, EventTarget, AbortController, AbortSignal, TextEncoder, TextDecoder, atob, btoa, structuredClone, Headers, Response, fetch };
}

// ---------------------------------------------------------------------------------------------
// The runner (core.js), with the classes above for ctx.signal and ctx.fetch

const runner = createRunner({
  answer(call, frame) {
    const resolve = pending.get(call.id);
    if (resolve !== undefined) {
      pending.delete(call.id);
      resolve(frame);
    }
  },
  log(call, level, message) {
    hostLog(call.id, level, message);
  },
  logOutsideCall(level, message) {
    hostLog(null, level, message);
  },
  fetch,
  AbortController: LazyAbortController,
  byteLength: utf8Length,
  inspect,
  denied: deniedByPolicy,
  frameUrls: [import.meta.url],
});

const reportError = (err) => runner.uncaught(err, "uncaughtException");

// console: every method a log of the current call (core.js, shared with the worker on Bun)
const consoleObject = createConsole(runner.emitLog, format, inspect, [import.meta.url]);

// ---------------------------------------------------------------------------------------------
// The globals

defineGlobal("setTimeout", setTimeout);
defineGlobal("clearTimeout", clearTimeout);
defineGlobal("setInterval", setInterval);
defineGlobal("clearInterval", clearInterval);
defineGlobal("setImmediate", setImmediate);
defineGlobal("clearImmediate", clearImmediate);
defineGlobal("queueMicrotask", queueMicrotask);
defineLazyGlobal("DOMException");
defineLazyGlobal("Event");
defineLazyGlobal("EventTarget");
defineLazyGlobal("AbortController");
defineLazyGlobal("AbortSignal");
defineLazyGlobal("TextEncoder");
defineLazyGlobal("TextDecoder");
defineLazyGlobal("atob");
defineLazyGlobal("btoa");
defineLazyGlobal("structuredClone");
defineGlobal("performance", performance);
defineLazyGlobal("Headers");
defineLazyGlobal("Response");
defineGlobal("fetch", fetch);
defineGlobal("console", consoleObject);

// An unawaited rejection, where the engine lets GraalJS report them (js.unhandled-rejections=handler).
if (typeof globalThis.Graal?.setUnhandledPromiseRejectionHandler === "function") {
  try {
    globalThis.Graal.setUnhandledPromiseRejectionHandler((reason) => runner.uncaught(reason, "unhandledRejection"));
  } catch {
    // not enabled for this context
  }
}

lockGlobal("__toolhost", Object.freeze({ describe, load, invoke, cancel }));
