// medreg/static/sse-client.js resuming a project run against a live medreg (MEDREG_URL, MEDREG_KEY):
// the connection is cut after the third plan; the client reconnects with GET /api/runs/{id}/events
// and Last-Event-ID, and the caller sees every event once, one terminal event, no plan twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followRun, streamSSE } from '../../medreg/static/sse-client.js';

const BASE = process.env.MEDREG_URL;
const KEY = process.env.MEDREG_KEY;
const skip = BASE && KEY ? false : 'MEDREG_URL / MEDREG_KEY not set (run through tests/projects/test_js_resume.py)';
const auth = { Authorization: `Bearer ${KEY}` };

async function project() {
  const post = (path, body) => fetch(`${BASE}${path}`, {
    method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }).then((r) => r.json());
  const created = await post('/api/projects', { name: '인슐린 펌프', concept: '몸에 부착하는 인슐린 주입 펌프' });
  await post(`/api/projects/${created.id}/runs`, { step: 'classify' });
  return created.id;
}

// A fetch whose first answer breaks (as a phone changing networks) once three plan events went through.
function cuttingFetch(calls) {
  return async (url, init) => {
    calls.push({ url, method: init.method, lastEventId: init.headers['Last-Event-ID'] });
    const response = await fetch(url, init);
    if (calls.length > 1) return response;
    const reader = response.body.getReader();
    let plans = 0;
    const body = new ReadableStream({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) return controller.close();
        const text = new TextDecoder().decode(value);
        plans += (text.match(/event: plan/g) || []).length;
        controller.enqueue(value);
        if (plans >= 3) { reader.cancel(); controller.error(new TypeError('network changed')); }
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

test('a run cut mid-standards resumes with Last-Event-ID: every event once, one done', { skip }, async () => {
  const id = await project();
  const calls = [];
  const events = [];
  const terminal = await streamSSE(`${BASE}/api/projects/${id}/runs`, {
    body: { step: 'standards' }, headers: auth, fetch: cuttingFetch(calls), retryDelay: 50,
    onEvent: (e) => events.push(e),
  });
  assert.equal(terminal.event, 'done');
  assert.equal(calls.length, 2);
  assert.equal(calls[1].method, 'GET');
  assert.match(calls[1].url, /\/api\/runs\/[0-9a-f]+\/events$/);
  assert.ok(Number(calls[1].lastEventId) >= 4);
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => String(i + 1)));
  assert.equal(events.filter((e) => e.event === 'done' || e.event === 'error').length, 1);
  const plans = events.filter((e) => e.event === 'plan').map((e) => e.data.data.id);
  assert.equal(new Set(plans).size, plans.length);
  const result = events.find((e) => e.event === 'result').data.data;
  assert.deepEqual(result.plans.map((p) => p.id), plans);
  assert.equal(terminal.data.version, 3);

  // followRun replays the same run from any id.
  const later = [];
  const again = await followRun(BASE, calls[1].url.split('/').at(-2), {
    lastEventId: 2, headers: auth, onEvent: (e) => later.push(e),
  });
  assert.equal(again.event, 'done');
  assert.deepEqual(later.map((e) => e.id), events.slice(2).map((e) => e.id));
});
