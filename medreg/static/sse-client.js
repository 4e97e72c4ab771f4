// Server-Sent Events over fetch POST: a WHATWG-conformant parser and a client with
// timeouts, retries and back-off. No dependencies; runs in browsers, React apps and Node 18+.
//
//   import { streamSSE, streamEvents } from 'http://localhost:8000/static/sse-client.js';
//   const controller = new AbortController();            // controller.abort() stops it
//   const last = await streamSSE('http://localhost:8000/api/stream/classify', {
//     body: { concept: '스마트 인슐린 펌프' }, signal: controller.signal,
//     onEvent: ({ event, data }) => { if (event === 'status') console.log(data.message); },
//   });                                                   // last.event: 'done' or 'error'
//   for await (const { event, data } of streamEvents(url, { body })) { ... }

/** Incremental SSE parser: feed it bytes (or strings) in any split; it calls onEvent per event. */
export class SSEParser {
  constructor({ onEvent = () => {}, onComment = () => {}, onRetry = () => {} } = {}) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.onRetry = onRetry;
    // stream: true keeps a multi-byte character split across chunks until its last byte arrives.
    this.decoder = new TextDecoder('utf-8');
    this.buffer = '';
    this.lastEventId = '';
    this.pendingCR = false;
    this.resetEvent();
  }

  resetEvent() {
    this.data = [];
    this.eventType = '';
    this.sawData = false;
  }

  /** Feed a chunk: Uint8Array (decoded as UTF-8, partial characters kept) or string. */
  feed(chunk) {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    this.pushText(text);
  }

  /** End of stream: flush the decoder; an unterminated event is dropped, as the spec says. */
  end() {
    this.pushText(this.decoder.decode());
    this.buffer = '';
    this.resetEvent();
  }

  pushText(text) {
    if (!text) return;
    // A CR ending the previous chunk may be half of a CRLF pair.
    if (this.pendingCR && text[0] === '\n') text = text.slice(1);
    this.pendingCR = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== '\n' && ch !== '\r') continue;
      this.processLine(this.buffer.slice(start, i));
      if (ch === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCR = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  processLine(line) {
    if (line === '') return this.dispatch();
    if (line[0] === ':') return this.onComment(line.slice(1).replace(/^ /, ''));
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  dispatch() {
    if (!this.sawData) return this.resetEvent();
    const raw = this.data.join('\n');
    const event = this.eventType || 'message';
    this.resetEvent();
    let data = raw;
    try { data = JSON.parse(raw); } catch { /* not JSON: keep the text */ }
    this.onEvent({ event, id: this.lastEventId, data, raw });
  }
}

const TERMINAL = new Set(['done', 'error']);
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Why an attempt failed; `retryable` tells the retry loop whether to try again. */
export class StreamError extends Error {
  constructor(message, { code = 'network', retryable = true, status = 0, cause } = {}) {
    super(message);
    this.name = 'StreamError';
    this.code = code;
    this.retryable = retryable;
    this.status = status;
    if (cause) this.cause = cause;
  }
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) return reject(signal.reason);
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

function abortError(message) {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

/**
 * POST `body` as JSON to `url` and read the answer as SSE.
 * Options: onEvent(ev), onComment(text), onOpen(response), onRetry({attempt, delay, error}),
 * signal (the caller's stop), timeout (ms per attempt, 0 = none), idleTimeout (ms with no
 * bytes, 0 = none), retries (default 3), retryDelay (base ms, default 1000: 1 s, 2 s, 3 s,
 * or the server's `retry:`), headers, fetch, wait(ms, signal) (a custom pause, e.g. in tests).
 * Resolves with the terminal event (`done` or `error`); rejects with a StreamError when
 * retries are spent, or an AbortError when the caller stopped it. A Retry-After header
 * (seconds) lengthens the next pause.
 */
export async function streamSSE(url, options = {}) {
  const {
    body, method = 'POST', headers = {}, signal, onEvent = () => {}, onComment = () => {},
    onOpen = () => {}, onRetry = () => {}, timeout = 120000, idleTimeout = 45000,
    retries = 3, retryDelay = 1000, fetch: fetchImpl = globalThis.fetch, wait = sleep,
  } = options;
  const state = { lastEventId: '', delivered: 0, retryBase: retryDelay, retryAfterMs: 0, resumeUrl: '' };
  let attempt = 0;
  for (;;) {
    // A project run (X-Run-Id) is resumed, not started again: GET its events after Last-Event-ID.
    const resume = state.resumeUrl;
    try {
      const terminal = await attemptStream(fetchImpl, resume || url, {
        body: resume ? undefined : body, method: resume ? 'GET' : method, headers, signal, timeout,
        idleTimeout, onComment, onOpen, state,
        onEvent, willRetry: attempt < retries, attemptNo: attempt,
      });
      return terminal;
    } catch (error) {
      if (signal?.aborted) throw abortError('Stopped');
      if (!(error instanceof StreamError) || !error.retryable || attempt >= retries) throw error;
      attempt += 1;
      // A server that says Retry-After (429, 503) is not asked again sooner than that.
      const delay = Math.max(state.retryBase * attempt, state.retryAfterMs);
      state.retryAfterMs = 0;
      onRetry({ attempt, delay, error });
      await wait(delay, signal).catch(() => { throw abortError('Stopped'); });
    }
  }
}

async function attemptStream(fetchImpl, url, ctx) {
  const { state, signal, attemptNo } = ctx;
  const controller = new AbortController();
  let why = null;
  const stop = (reason) => { why = why || reason; controller.abort(); };
  const onCallerAbort = () => stop('caller');
  if (signal?.aborted) throw abortError('Stopped');
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const total = ctx.timeout ? setTimeout(() => stop('timeout'), ctx.timeout) : null;
  let idle = null;
  const touch = () => {
    if (!ctx.idleTimeout) return;
    clearTimeout(idle);
    idle = setTimeout(() => stop('idle'), ctx.idleTimeout);
  };
  const headers = { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...ctx.headers };
  if (state.lastEventId) headers['Last-Event-ID'] = state.lastEventId;
  let terminal = null;
  let pendingError = null;
  let seenThisAttempt = 0;
  const parser = new SSEParser({
    onComment: ctx.onComment,
    onRetry: (ms) => { state.retryBase = ms; },
    onEvent: (ev) => {
      if (terminal) return; // nothing counts after the terminal event
      seenThisAttempt += 1;
      // After a reconnect, skip what the caller already has: by id when ids are sequence
      // numbers (a server that resumes from Last-Event-ID sends only newer ones; one that
      // restarts sends 1, 2, … again), else by position.
      if (attemptNo > 0) {
        const n = Number(ev.id), last = Number(state.lastEventId);
        const numbered = ev.id !== '' && state.lastEventId !== '' && Number.isInteger(n) && Number.isInteger(last);
        if (numbered ? n <= last : seenThisAttempt <= state.delivered) return;
      }
      if (ev.event === 'error' && ev.data?.retryable && ctx.willRetry) {
        pendingError = ev;
        terminal = ev;
        return;
      }
      state.delivered += 1;
      state.lastEventId = ev.id || state.lastEventId;
      if (TERMINAL.has(ev.event)) terminal = ev;
      ctx.onEvent(ev);
    },
  });
  try {
    touch();
    let response;
    try {
      response = await fetchImpl(url, {
        method: ctx.method, headers, signal: controller.signal,
        body: ctx.body === undefined ? undefined : (typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body)),
      });
    } catch (cause) {
      throw failure(why, cause);
    }
    ctx.onOpen(response);
    const runId = response.headers.get('x-run-id');
    if (runId && !state.resumeUrl) state.resumeUrl = new URL(`/api/runs/${encodeURIComponent(runId)}/events`, response.url || url).href;
    const retryAfter = Number(response.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) state.retryAfterMs = retryAfter * 1000;
    const sse = (response.headers.get('content-type') || '').includes('text/event-stream');
    if (!response.ok && !sse) {
      const retryable = RETRYABLE_STATUS.has(response.status);
      throw new StreamError(`HTTP ${response.status}`, { code: 'http', status: response.status, retryable });
    }
    if (!response.body) throw new StreamError('No response body', { code: 'no_body', retryable: false });
    const reader = response.body.getReader();
    try {
      for (;;) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (cause) {
          throw failure(why, cause);
        }
        if (chunk.done) break;
        touch();
        parser.feed(chunk.value);
        if (terminal) break;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
    parser.end();
    if (pendingError) {
      const { code, message } = pendingError.data;
      throw new StreamError(message || code, { code, retryable: true, status: response.status });
    }
    if (!terminal) {
      if (!response.ok) {
        throw new StreamError(`HTTP ${response.status}`, { code: 'http', status: response.status, retryable: RETRYABLE_STATUS.has(response.status) });
      }
      throw new StreamError('The stream ended before its last event', { code: 'incomplete' });
    }
    return terminal;
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
    signal?.removeEventListener('abort', onCallerAbort);
    if (!terminal) controller.abort();
  }
}

function failure(why, cause) {
  if (why === 'caller') return abortError('Stopped');
  if (why === 'timeout') return new StreamError('Timed out', { code: 'timeout', cause });
  if (why === 'idle') return new StreamError('No data from the server', { code: 'idle_timeout', cause });
  return new StreamError(cause?.message || 'Network error', { code: 'network', cause });
}

/**
 * Follow a project run's events (GET /api/runs/{id}/events) from `lastEventId` (default: the start),
 * reconnecting with Last-Event-ID as streamSSE does; resolves with the run's one terminal event.
 */
export function followRun(baseUrl, runId, options = {}) {
  const { lastEventId = '', headers = {}, ...rest } = options;
  const first = lastEventId ? { 'Last-Event-ID': String(lastEventId) } : {};
  return streamSSE(`${baseUrl}/api/runs/${encodeURIComponent(runId)}/events`, {
    ...rest, method: 'GET', body: undefined, headers: { ...headers, ...first },
  });
}

/** The same stream as an async iterator of events; leaving the loop early stops the request. */
export async function* streamEvents(url, options = {}) {
  const queue = [];
  let wake = null;
  let finished = false;
  let failureError = null;
  const controller = new AbortController();
  const outer = options.signal;
  const relay = () => controller.abort(outer.reason);
  outer?.addEventListener('abort', relay, { once: true });
  const push = (item) => { queue.push(item); if (wake) { wake(); wake = null; } };
  streamSSE(url, { ...options, signal: controller.signal, onEvent: (ev) => { options.onEvent?.(ev); push(ev); } })
    .catch((err) => { failureError = err; })
    .finally(() => { finished = true; push(null); });
  try {
    for (;;) {
      while (queue.length) {
        const item = queue.shift();
        if (item === null) {
          if (failureError) throw failureError;
          return;
        }
        yield item;
      }
      if (finished && !queue.length) return;
      await new Promise((resolve) => { wake = resolve; });
    }
  } finally {
    outer?.removeEventListener('abort', relay);
    if (!finished) controller.abort();
  }
}
