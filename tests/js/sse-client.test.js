// medreg/static/sse-client.js against a tiny Node server that writes chosen byte splits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SSEParser, StreamError, streamEvents, streamSSE } from '../../medreg/static/sse-client.js';
import { frame, recordingFetch, sleep, startServer, writeSplit } from './helpers.js';

const enc = new TextEncoder();

function collect(parserOptions = {}) {
  const events = [];
  const comments = [];
  const retries = [];
  const parser = new SSEParser({
    onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r), ...parserOptions,
  });
  return { parser, events, comments, retries };
}

test('parser: every byte split of a Korean stream gives the same events', () => {
  const wire = enc.encode(`${frame(1, 'status', { message: '스마트 인슐린 펌프 분류 중' })}: keep-alive\n\n${frame(2, 'done', { elapsed_ms: 3 })}`);
  for (let cut = 1; cut < wire.length; cut++) {
    const { parser, events } = collect();
    parser.feed(wire.subarray(0, cut));
    parser.feed(wire.subarray(cut));
    parser.end();
    assert.deepEqual(events.map((e) => [e.event, e.id]), [['status', '1'], ['done', '2']], `cut at ${cut}`);
    assert.equal(events[0].data.message, '스마트 인슐린 펌프 분류 중', `cut at ${cut}`);
  }
});

test('parser: one byte at a time, CRLF and CR line ends, multi-line data, comments, retry', () => {
  const wire = enc.encode(': hello\r\nretry: 2500\r\nid: 7\r\nevent: note\r\ndata: 첫째 줄\r\ndata:둘째 줄\r\n\r\ndata: no type\r\rdata: x\n');
  const { parser, events, comments, retries } = collect();
  for (const byte of wire) parser.feed(Uint8Array.of(byte));
  parser.end();
  assert.deepEqual(comments, ['hello']);
  assert.deepEqual(retries, [2500]);
  assert.deepEqual(events.map((e) => [e.event, e.id, e.data]), [['note', '7', '첫째 줄\n둘째 줄'], ['message', '7', 'no type']]);
});

test('parser: ignores unknown fields, bad retry, ids with NUL; an event with no data is not sent', () => {
  const { parser, events, retries } = collect();
  parser.feed('foo: bar\nretry: 12x\nid: a\0b\nevent: empty\n\nid: 9\ndata\n\n');
  assert.deepEqual(retries, []);
  assert.deepEqual(events.map((e) => [e.event, e.id, e.data]), [['message', '9', '']]);
});

test('client: chunk boundaries mid-line and mid-UTF-8 character over HTTP', async (t) => {
  const text = `${frame(1, 'status', { message: '연결 중' })}${frame(2, 'result', { data: { name: '체외용 인슐린 주입기' } })}${frame(3, 'done', { elapsed_ms: 1 })}`;
  const bytes = enc.encode(text);
  const firstKo = bytes.indexOf(0xec); // first byte of '연' (U+C5F0 → EC 97 B0)
  const midLine = text.indexOf('event: result') + 3;
  const cuts = [5, firstKo + 1, firstKo + 2, enc.encode(text.slice(0, midLine)).length];
  const server = await startServer((req, res) => writeSplit(res, bytes, cuts));
  t.after(() => server.close());
  const sizes = [];
  const events = [];
  const terminal = await streamSSE(server.url, { body: { concept: 'x' }, onEvent: (e) => events.push(e), fetch: recordingFetch(sizes) });
  const expected = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1]];
  assert.deepEqual(sizes.slice(0, 3), expected, 'the server really split inside the character');
  assert.equal(terminal.event, 'done');
  assert.deepEqual(events.map((e) => e.event), ['status', 'result', 'done']);
  assert.equal(events[0].data.message, '연결 중');
  assert.equal(events[1].data.data.name, '체외용 인슐린 주입기');
  assert.equal(server.state.requests[0].headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(server.state.requests[0].body), { concept: 'x' });
});

test('client: comments reach onComment; ids are kept; events after the terminal one are ignored', async (t) => {
  const text = `: keep-alive\n\n${frame(1, 'status', { message: 'a' })}data: {"type":"status","message":"b"}\nevent: status\n\n${frame(3, 'done', {})}${frame(4, 'status', { message: 'late' })}`;
  const server = await startServer((req, res) => writeSplit(res, enc.encode(text), []));
  t.after(() => server.close());
  const events = [];
  const comments = [];
  await streamSSE(server.url, { body: {}, onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  assert.deepEqual(comments, ['keep-alive']);
  assert.deepEqual(events.map((e) => [e.event, e.id]), [['status', '1'], ['status', '1'], ['done', '3']]);
});

test('client: a dropped stream is retried after the server\'s retry: delay, without duplicate events', async (t) => {
  const server = await startServer(async (req, res, n) => {
    if (n === 1) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`retry: 30\n\n${frame(1, 'status', { message: 'one' })}`);
      await sleep(30);
      res.destroy(); // connection lost mid-stream
      return;
    }
    await writeSplit(res, enc.encode(frame(1, 'status', { message: 'one' }) + frame(2, 'result', { data: 1 }) + frame(3, 'done', {})), []);
  });
  t.after(() => server.close());
  const events = [];
  const retries = [];
  const terminal = await streamSSE(server.url, { body: {}, onEvent: (e) => events.push(e), onRetry: (r) => retries.push(r) });
  assert.equal(terminal.event, 'done');
  assert.deepEqual(events.map((e) => e.id), ['1', '2', '3']);
  assert.deepEqual(retries.map((r) => [r.attempt, r.delay, r.error.code]), [[1, 30, 'network']]);
  assert.equal(server.state.requests[1].headers['last-event-id'], '1');
});

test('client: a server that resumes from Last-Event-ID loses nothing on reconnect', async (t) => {
  const all = [1, 2, 3, 4].map((i) => frame(i, i === 4 ? 'done' : 'status', { i }));
  const server = await startServer(async (req, res, n) => {
    if (n === 1) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(all[0] + all[1]);
      await sleep(30);
      res.destroy();
      return;
    }
    const from = Number(req.headers['last-event-id'] || 0);
    await writeSplit(res, enc.encode(all.slice(from).join('')), []);
  });
  t.after(() => server.close());
  const ids = [];
  await streamSSE(server.url, { body: {}, wait: async () => {}, onEvent: (e) => ids.push(e.id) });
  assert.deepEqual(ids, ['1', '2', '3', '4']);
  assert.equal(server.state.requests[1].headers['last-event-id'], '2');
});

test('client: back-off grows 1x, 2x, 3x and gives up after 3 retries', async (t) => {
  const server = await startServer((req, res) => { res.writeHead(503, { 'Content-Type': 'application/json' }); res.end('{}'); });
  t.after(() => server.close());
  const delays = [];
  const started = Date.now();
  await assert.rejects(
    streamSSE(server.url, { body: {}, retryDelay: 25, onRetry: (r) => delays.push(r.delay) }),
    (err) => err instanceof StreamError && err.status === 503,
  );
  assert.deepEqual(delays, [25, 50, 75]);
  assert.equal(server.state.requests.length, 4);
  assert.ok(Date.now() - started >= 150, 'it waited between attempts');
});

test('client: the default back-off is the guide\'s 1 s, 2 s, 3 s', async (t) => {
  const server = await startServer((req, res) => { res.writeHead(502); res.end(); });
  t.after(() => server.close());
  const controller = new AbortController();
  const delays = [];
  const run = streamSSE(server.url, { body: {}, signal: controller.signal, onRetry: (r) => { delays.push(r.delay); controller.abort(); } });
  await assert.rejects(run, { name: 'AbortError' });
  assert.deepEqual(delays, [1000]);
  // The whole schedule, with the pause recorded instead of waited.
  const waited = [];
  await assert.rejects(streamSSE(server.url, { body: {}, wait: async (ms) => { waited.push(ms); } }), { status: 502 });
  assert.deepEqual(waited, [1000, 2000, 3000]);
});

test('client: Retry-After on a 429 lengthens the pause', async (t) => {
  const server = await startServer((req, res, n) => {
    if (n === 1) {
      res.writeHead(429, { 'Content-Type': 'text/event-stream', 'Retry-After': '2' });
      res.end(frame(1, 'error', { code: 'rate_limited', retryable: true }));
      return undefined;
    }
    return writeSplit(res, enc.encode(frame(1, 'done', {})), []);
  });
  t.after(() => server.close());
  const waited = [];
  const terminal = await streamSSE(server.url, { body: {}, wait: async (ms) => { waited.push(ms); } });
  assert.equal(terminal.event, 'done');
  assert.deepEqual(waited, [2000]);
});

test('client: a 4xx answer with an SSE error body resolves with that error and is not retried', async (t) => {
  const server = await startServer((req, res) => {
    res.writeHead(422, { 'Content-Type': 'text/event-stream' });
    res.end(frame(1, 'error', { type: 'error', code: 'invalid_request', message: '일부 필드가 없거나 올바르지 않습니다.', retryable: false }));
  });
  t.after(() => server.close());
  const terminal = await streamSSE(server.url, { body: {} });
  assert.equal(terminal.event, 'error');
  assert.equal(terminal.data.code, 'invalid_request');
  assert.equal(server.state.requests.length, 1);
});

test('client: a retryable error event is retried, and only the final outcome is delivered', async (t) => {
  const server = await startServer((req, res, n) => writeSplit(res, enc.encode(n === 1
    ? frame(1, 'status', {}) + frame(2, 'error', { code: 'upstream_unavailable', retryable: true })
    : frame(1, 'status', {}) + frame(2, 'done', {})), []));
  t.after(() => server.close());
  const events = [];
  const terminal = await streamSSE(server.url, { body: {}, retryDelay: 10, onEvent: (e) => events.push(e.event) });
  assert.equal(terminal.event, 'done');
  assert.deepEqual(events, ['status', 'done']);
});

test('client: idle timeout when the server goes silent, total timeout when it never ends', async (t) => {
  const silent = await startServer(async (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(frame(1, 'status', {}));
    while (!res.destroyed) await sleep(50); // silent until the client gives up
  });
  t.after(() => silent.close());
  const started = Date.now();
  await assert.rejects(streamSSE(silent.url, { body: {}, idleTimeout: 150, retries: 0 }), { code: 'idle_timeout' });
  assert.ok(Date.now() - started < 2000);

  const chatty = await startServer(async (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (let i = 0; i < 100 && !res.destroyed; i++) { res.write(': keep-alive\n\n'); await sleep(40); }
    res.end();
  });
  t.after(() => chatty.close());
  // Keep-alives every 40 ms for 4 s: the 1 s total timeout ends it, never the 400 ms idle timeout (360 ms of
  // slack for a busy machine's scheduling delays; 100 ms left 60 ms, and failed once at load average 7).
  await assert.rejects(streamSSE(chatty.url, { body: {}, timeout: 1000, idleTimeout: 400, retries: 0 }), { code: 'timeout' });
  await sleep(100);
  assert.equal(chatty.state.closed, 1, 'the timed-out request was closed');
});

test('client: stopping with an AbortController closes the connection and rejects with AbortError', async (t) => {
  const server = await startServer(async (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (let i = 1; i < 100 && !res.destroyed; i++) { res.write(frame(i, 'status', { i })); await sleep(30); }
    res.end();
  });
  t.after(() => server.close());
  const controller = new AbortController();
  const seen = [];
  const run = streamSSE(server.url, { body: {}, signal: controller.signal, onEvent: (e) => { seen.push(e); if (seen.length === 2) controller.abort(); } });
  await assert.rejects(run, { name: 'AbortError' });
  await sleep(100);
  assert.equal(server.state.closed, 1);
  assert.equal(server.state.requests.length, 1, 'a stop is not retried');
});

test('async iterator: yields events in order; leaving the loop early closes the request', async (t) => {
  const server = await startServer(async (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (let i = 1; i < 50 && !res.destroyed; i++) { res.write(frame(i, 'plan', { index: i })); await sleep(20); }
    res.end();
  });
  t.after(() => server.close());
  const got = [];
  for await (const event of streamEvents(server.url, { body: {} })) {
    got.push(event.data.index);
    if (got.length === 3) break;
  }
  assert.deepEqual(got, [1, 2, 3]);
  await sleep(100);
  assert.equal(server.state.closed, 1);
});
