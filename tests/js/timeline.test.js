// The Gantt schedule: plans start when what they depend on ends; cycles and unknown ids cannot hang it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit, schedule } from '../../medreg/static/timeline.js';

const plan = (id, weeks, depends_on = [], activities = []) => ({ id, title: id, estimated_weeks: weeks, depends_on, activities });

test('a plan starts at the latest end of the plans it depends on', () => {
  const rows = schedule([plan('risk', 4), plan('qms', 10), plan('sw', 8, ['risk']), plan('clinical', 6, ['sw', 'qms'])]);
  assert.deepEqual(rows.map((r) => [r.id, r.start, r.end]), [['risk', 0, 4], ['qms', 0, 10], ['sw', 4, 12], ['clinical', 12, 18]]);
});

test('order of the list does not matter: a dependency listed later is placed first', () => {
  const rows = schedule([plan('b', 2, ['a']), plan('a', 3)]);
  assert.deepEqual(rows.map((r) => [r.id, r.start, r.end]), [['b', 3, 5], ['a', 0, 3]]);
});

test('unknown ids and cycles do not push starts or loop forever', () => {
  const rows = schedule([plan('x', 2, ['ghost']), plan('p', 1, ['q']), plan('q', 1, ['p'])]);
  assert.deepEqual(rows.find((r) => r.id === 'x'), { id: 'x', title: 'x', start: 0, end: 2, deps: [] });
  const p = rows.find((r) => r.id === 'p');
  const q = rows.find((r) => r.id === 'q');
  assert.ok(p.start === q.end || q.start === p.end, 'one of the pair goes first');
});

test('weeks default to the sum of the activities when estimated_weeks is missing', () => {
  const [row] = schedule([{ id: 'a', title: 'a', depends_on: [], activities: [{ weeks: 2 }, { weeks: 3.5 }] }]);
  assert.equal(row.end, 5.5);
});

test('labels are cut by display width, Hangul counting double', () => {
  assert.equal(fit('Risk management', 31), 'Risk management');
  assert.equal(fit('a'.repeat(40), 31), `${'a'.repeat(31)}…`);
  assert.equal(fit('가'.repeat(20), 31), `${'가'.repeat(15)}…`);
});
