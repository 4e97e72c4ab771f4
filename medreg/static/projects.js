// The projects sidebar: keep an analysis as a project, open one, see its history and what changed,
// rename, delete and restore it. Runs go through the projects API, so they are stored and resumable.
import { streamSSE } from './sse-client.js';

const WORDS = {
  title: { en: 'Projects', ko: '프로젝트' },
  save: { en: 'Save the concept as a project', ko: '개념을 프로젝트로 저장' },
  rerun: { en: 'Run again with the concept above', ko: '위 개념으로 다시 실행' },
  open: { en: 'Open', ko: '열기' },
  rename: { en: 'Rename', ko: '이름 변경' },
  remove: { en: 'Delete', ko: '삭제' },
  restore: { en: 'Restore', ko: '복원' },
  deleted: { en: 'Show deleted', ko: '삭제된 항목 보기' },
  history: { en: 'History', ko: '이력' },
  changes: { en: 'What changed', ko: '변경 내용' },
  empty: { en: 'No projects yet.', ko: '아직 프로젝트가 없습니다.' },
  needConcept: { en: 'Write a concept first.', ko: '먼저 개념을 입력하세요.' },
  newName: { en: 'New name', ko: '새 이름' },
  running: { en: 'Running', ko: '실행 중' },
  estimate: { en: 'Estimate (weeks: optimistic / likely / pessimistic)', ko: '추정 (주: 낙관 / 보통 / 비관)' },
  review: { en: 'review', ko: '심사' },
  fee: { en: 'fee', ko: '수수료' },
  unknown: { en: 'unknown', ko: '알 수 없음' },
};
const STEPS = ['classify', 'purpose', 'standards'];
const $ = (id) => document.getElementById(id);
const lang = () => (document.documentElement.lang === 'en' ? 'en' : 'ko');
const w = (key) => WORDS[key][lang()];
const state = { open: null, showDeleted: false };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function auth() {
  const key = ($('api-key')?.value || '').trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function api(path, { method = 'GET', body } = {}) {
  const response = await fetch(path, {
    method, headers: { ...auth(), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data?.error?.message || `HTTP ${response.status}`);
  return data;
}

function say(text) { $('projects-status').textContent = text; }

async function runSteps(id, first = {}) {
  for (const step of STEPS) {
    say(`${w('running')}: ${step}`);
    const terminal = await streamSSE(`api/projects/${id}/runs`, {
      body: { step, ...(step === 'classify' ? first : {}) }, headers: auth(),
      onEvent: (e) => { if (e.event === 'status') say(`${step}: ${e.data.message}`); },
    });
    if (terminal.event !== 'done') throw new Error(terminal.data.message);
  }
  say('');
}

async function save() {
  const concept = $('concept').value.trim();
  if (!concept) return say(w('needConcept'));
  try {
    const project = await api('api/projects', { method: 'POST', body: { name: concept.slice(0, 60), concept } });
    await runSteps(project.id);
    state.open = project.id;
    await refresh();
  } catch (err) { say(err.message); }
}

async function rerun() {
  const concept = $('concept').value.trim();
  if (!state.open || !concept) return say(w('needConcept'));
  try { await runSteps(state.open, { concept }); await refresh(); } catch (err) { say(err.message); }
}

async function act(project, action) {
  try {
    if (action === 'rename') {
      const name = window.prompt(w('newName'), project.name);
      if (!name) return;
      await api(`api/projects/${project.id}`, { method: 'PATCH', body: { name } });
    } else if (action === 'remove') {
      await api(`api/projects/${project.id}`, { method: 'DELETE' });
      if (state.open === project.id) state.open = null;
    } else if (action === 'restore') {
      await api(`api/projects/${project.id}/restore`, { method: 'POST' });
    } else {
      state.open = project.id;
    }
    await refresh();
  } catch (err) { say(err.message); }
}

function estimateRow(m) {
  const d = m.duration;
  const review = m.review.status === 'unknown' ? w('unknown') : `${m.review.value} ${m.review.unit} (${(m.review.sources || []).join('; ')})`;
  return el('li', { 'data-market': m.market },
    `${m.market} · ${m.class ?? '—'} · ${m.pathway ?? '—'}: ${d.optimistic} / ${d.likely} / ${d.pessimistic}`,
    el('div', { class: 'hint' }, `${w('review')}: ${review}`),
    el('div', { class: 'hint' }, `${w('fee')}: ${w('unknown')} — ${m.fee.note}`));
}

async function estimateBox(id, factors = {}) {
  const query = new URLSearchParams({ language: lang(), ...factors });
  const est = await api(`api/projects/${id}/estimate?${query}`);
  const box = el('div', { class: 'project-estimate' });
  const inputs = est.assumptions.map((a) => el('label', { title: a.note }, `${a.note}: `,
    el('input', { type: 'number', step: '0.1', min: '0.1', max: '10', value: String(a.value), 'data-key': a.key,
      onchange: async () => {
        const edited = Object.fromEntries([...box.querySelectorAll('input[data-key]')].map((i) => [i.dataset.key, i.value]));
        box.replaceWith(await estimateBox(id, edited));
      } })));
  box.append(el('h4', {}, w('estimate')), ...inputs, el('ul', {}, ...est.markets.map(estimateRow)));
  return box;
}

async function details(id) {
  const project = await api(`api/projects/${id}`);
  const box = el('div', { class: 'project-details', 'data-project': id },
    el('h3', {}, `${w('history')}: ${project.name}`),
    el('ol', { class: 'project-history' }, ...project.versions.map((v) => el('li', { 'data-version': String(v.number) },
      `v${v.number} · ${v.step || '—'} · ${v.created_at.slice(0, 16).replace('T', ' ')}`))),
    el('button', { type: 'button', class: 'project-rerun', onclick: rerun }, w('rerun')));
  // Compared with the last version the same step made before: after a re-run with a new concept,
  // the whole dossier's change (concept, class, plans, weeks), not just the last step's.
  const latest = project.versions.at(-1);
  const same = project.versions.filter((v) => v.step === latest?.step);
  const from = same.length >= 2 ? same.at(-2).number : latest && latest.number - 1;
  if (latest && from >= 1) {
    const diff = await api(`api/projects/${id}/diff?from=${from}&to=${latest.number}`);
    box.append(el('h4', {}, `${w('changes')} (v${diff.from} → v${diff.to}): ${diff.summary[lang()]}`),
      el('ul', { class: 'project-diff' }, ...diff.changes.map((c) => el('li', { 'data-kind': c.kind }, c[lang()]))));
  }
  if (latest?.step === 'standards') box.append(await estimateBox(id));
  return box;
}

async function refresh() {
  const list = $('projects-list');
  let projects;
  try {
    projects = (await api(`api/projects${state.showDeleted ? '?deleted=1' : ''}`)).projects;
  } catch (err) { list.replaceChildren(); return say(err.message); }
  const items = projects.map((p) => el('li', { 'data-project': p.id },
    el('span', { class: 'project-name' }, `${p.name} · v${p.latest_version}`),
    ...(p.deleted ? [el('button', { type: 'button', class: 'project-restore', onclick: () => act(p, 'restore') }, w('restore'))]
      : [el('button', { type: 'button', class: 'project-open', onclick: () => act(p, 'open') }, w('open')),
        el('button', { type: 'button', class: 'project-rename', onclick: () => act(p, 'rename') }, w('rename')),
        el('button', { type: 'button', class: 'project-delete', onclick: () => act(p, 'remove') }, w('remove'))])));
  list.replaceChildren(...(items.length ? items : [el('li', { class: 'hint' }, w('empty'))]));
  const open = state.open && !state.showDeleted ? await details(state.open).catch(() => null) : null;
  $('projects-open').replaceChildren(...(open ? [open] : []));
}

function mount() {
  const panel = $('projects-panel');
  if (!panel) return;
  panel.replaceChildren(
    el('h2', { id: 'projects-title' }, w('title')),
    el('button', { type: 'button', id: 'projects-save', onclick: save }, w('save')),
    el('label', { class: 'projects-deleted' }, el('input', { type: 'checkbox', id: 'projects-show-deleted',
      onchange: (e) => { state.showDeleted = e.target.checked; refresh(); } }), ` ${w('deleted')}`),
    el('p', { id: 'projects-status', role: 'status', 'aria-live': 'polite' }),
    el('ul', { id: 'projects-list' }), el('div', { id: 'projects-open' }));
  refresh();
}

// Re-drawn in the new language when the page's language changes.
new MutationObserver(mount).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
mount();
