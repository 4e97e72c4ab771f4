// medreg/static/sse-client.js against a live medreg server (MEDREG_URL), the way the web app uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamEvents, streamSSE } from '../../medreg/static/sse-client.js';

const BASE = process.env.MEDREG_URL;
const skip = BASE ? false : 'MEDREG_URL is not set (run through tests/js/test_node.py)';

test('classify streams status first, then result, then done, with ids from 1', { skip }, async () => {
  const events = [];
  const terminal = await streamSSE(`${BASE}/api/stream/classify`, {
    body: { concept: '스마트 인슐린 펌프' }, onEvent: (e) => events.push(e),
  });
  assert.equal(terminal.event, 'done');
  assert.equal(events[0].event, 'status');
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => String(i + 1)));
  for (const e of events) assert.equal(e.data.type, e.event);
  const result = events.filter((e) => e.event === 'result');
  assert.equal(result.length, 1);
  assert.equal(result[0].data.data.language, 'ko');
  assert.deepEqual(Object.keys(result[0].data.data.markets).sort(), ['EU', 'KR', 'US']);
});

test('standards: plan events count up to their total and done says how many', { skip }, async () => {
  const classification = await (await fetch(`${BASE}/api/classify`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ concept: 'smart insulin pump' }),
  })).json();
  const plans = [];
  let done = null;
  for await (const e of streamEvents(`${BASE}/api/stream/standards`, { body: { classification } })) {
    if (e.event === 'plan') plans.push(e.data);
    if (e.event === 'done') done = e.data;
  }
  assert.ok(plans.length >= 1);
  assert.deepEqual(plans.map((p) => p.index), plans.map((_, i) => i + 1));
  assert.ok(plans.every((p) => p.total === plans.length));
  assert.equal(done.total_plans, plans.length);
});

test('an invalid request ends with one error event in the request language, not retried', { skip }, async () => {
  const retries = [];
  const events = [];
  const terminal = await streamSSE(`${BASE}/api/stream/classify`, {
    body: { concept: '   ', language: 'ko' }, onRetry: (r) => retries.push(r), onEvent: (e) => events.push(e),
  });
  assert.equal(terminal.event, 'error');
  assert.equal(terminal.data.code, 'invalid_request');
  assert.equal(terminal.data.retryable, false);
  assert.ok(terminal.data.fields.concept);
  assert.deepEqual(retries, []);
  assert.equal(events.length, 1);
});

test('the page and every module it imports are served', { skip }, async () => {
  const page = await fetch(`${BASE}/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<script type="module" src="static\/app.js">/);
  for (const name of ['app.js', 'sse-client.js', 'render.js', 'timeline.js', 'i18n.js', 'styles.css']) {
    const res = await fetch(`${BASE}/static/${name}`);
    assert.equal(res.status, 200, name);
    assert.match(res.headers.get('content-type'), name.endsWith('.js') ? /javascript/ : /css/);
  }
});
