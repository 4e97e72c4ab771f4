// The seed guide's React hooks and vanilla client, taken from the markdown UNCHANGED, transpiled
// with TypeScript and run against a live medreg (MEDREG_URL) with a stand-in for React's useState.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const BASE = process.env.MEDREG_URL;
const GUIDE = process.env.MEDREG_SEED_GUIDE;
const skip = !BASE ? 'MEDREG_URL is not set (run through tests/js/test_node.py)'
  : !GUIDE || !existsSync(GUIDE) ? `seed guide not found at ${GUIDE}` : false;

/** Every fenced code block of the guide, with its language. */
function codeBlocks(markdown) {
  const blocks = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  for (let m; (m = fence.exec(markdown));) blocks.push({ lang: m[1], code: m[2] });
  return blocks;
}

function block(markdown, firstLine) {
  const found = codeBlocks(markdown).filter((b) => b.code.startsWith(firstLine));
  assert.equal(found.length, 1, `exactly one block starts with ${firstLine}`);
  return found[0].code;
}

/** The guide's clients call http://localhost:8000; point them at the live server instead. */
function liveFetch(calls) {
  return (url, init) => {
    calls.push(url);
    return fetch(String(url).replace('http://localhost:8000', BASE), init);
  };
}

/** A stand-in for React: useState cells that record every value they take. */
function fakeReact() {
  const cells = [];
  const useState = (initial) => {
    const cell = { value: initial, history: [initial] };
    cells.push(cell);
    const set = (next) => {
      cell.value = typeof next === 'function' ? next(cell.value) : next;
      cell.history.push(cell.value);
    };
    return [cell.value, set];
  };
  return { cells, react: { useState } };
}

/** Transpile a TSX/TS hook to CommonJS and load it with `react` resolved to the stand-in. */
function loadHook(source, react, fetchImpl) {
  const require = createRequire(import.meta.url);
  const ts = require('typescript');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: false,
  });
  const module = { exports: {} };
  const requireShim = (name) => { if (name === 'react') return react; throw new Error(`unexpected import ${name}`); };
  new Function('require', 'module', 'exports', 'fetch', outputText)(requireShim, module, module.exports, fetchImpl);
  return module.exports;
}

const guide = () => readFileSync(GUIDE, 'utf8');

test('seed useStreamingClassify ends with "완료" and a result', { skip }, async () => {
  const source = block(guide(), '// hooks/useStreamingClassify.ts');
  const { cells, react } = fakeReact();
  const calls = [];
  const { useStreamingClassify } = loadHook(source, react, liveFetch(calls));
  const { classify } = useStreamingClassify();
  await classify('스마트 인슐린 펌프');
  const [status, result, error, isStreaming] = cells;
  assert.equal(error.value, null, `error: ${error.value}`);
  assert.equal(status.value, '완료');
  assert.ok(status.history.includes('연결 중...'));
  assert.ok(status.history.length > 3, 'server status messages were shown on the way');
  assert.equal(isStreaming.value, false);
  assert.equal(result.value.concept, '스마트 인슐린 펌프');
  assert.ok(result.value.markets.US && result.value.markets.EU && result.value.markets.KR);
  assert.deepEqual(calls, ['http://localhost:8000/api/stream/classify']);
});

test('seed useStreamingPlans ends with "총 N개 계획 생성 완료"', { skip }, async () => {
  const markdown = guide();
  const classifyHook = fakeReact();
  const { useStreamingClassify } = loadHook(block(markdown, '// hooks/useStreamingClassify.ts'), classifyHook.react, liveFetch([]));
  await useStreamingClassify().classify('스마트 인슐린 펌프');
  const classification = classifyHook.cells[1].value;
  assert.ok(classification, 'classification for the plans');
  const purpose = await (await fetch(`${BASE}/api/purpose`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ concept: '스마트 인슐린 펌프', classification }),
  })).json();

  const { cells, react } = fakeReact();
  const { useStreamingPlans } = loadHook(block(markdown, '// hooks/useStreamingPlans.ts'), react, liveFetch([]));
  const { generatePlans } = useStreamingPlans();
  await generatePlans(classification, classification.category, purpose);
  const [status, plans, error, isStreaming] = cells;
  assert.equal(error.value, null, `error: ${error.value}`);
  const n = plans.value.length;
  assert.ok(n >= 1, 'at least one plan');
  assert.equal(status.value, `총 ${n}개 계획 생성 완료`);
  for (let i = 1; i <= n; i++) assert.ok(status.history.includes(`계획 ${i}/${n} 생성 완료`), `progress ${i}/${n}`);
  assert.equal(isStreaming.value, false);
  assert.ok(plans.value.every((p) => p.id && p.title && Array.isArray(p.standards)));
});

test('seed vanilla streamClassification logs status → result → done', { skip }, async () => {
  const source = block(guide(), '// 기본 스트리밍');
  const logs = [];
  const fakeConsole = { log: (...args) => logs.push(args), error: (...args) => logs.push(['error', ...args]) };
  // The block defines the function and calls it once itself; run it exactly as written.
  new Function('console', 'fetch', source)(fakeConsole, liveFetch([]));
  const deadline = Date.now() + 20000;
  while (!logs.some((l) => l[0] === '완료') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const types = logs.filter((l) => l[0] === '이벤트 타입:').map((l) => l[1]);
  assert.ok(types.length >= 3, `events: ${types}`);
  assert.match(types.join(' '), /^(status )+result done$/);
  assert.equal(logs.at(-1)[0], '완료');
  const result = logs.find((l) => l[0] === '결과:')[1];
  assert.equal(result.concept, '스마트 인슐린 펌프');
});
