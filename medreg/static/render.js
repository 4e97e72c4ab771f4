// DOM builders for results. Text goes in through textContent only, never innerHTML.
import { t } from './i18n.js';
import { changeText, decidedClass, renderAttributes } from './flow.js';

/** Create an element: h('p', {class: 'x'}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const list = (items) => (items && items.length ? h('ul', {}, items.map((x) => h('li', {}, x))) : h('p', { class: 'muted' }, t('none')));

function codesOf(market) {
  const codes = [];
  const productCodes = market.product_codes || (market.product_code ? [market.product_code] : []);
  for (const code of productCodes) codes.push(`FDA ${code}`);
  if (market.regulation) codes.push(market.regulation);
  if (market.item_code) codes.push(`${market.item_code}${market.item_name ? ` ${market.item_name}` : ''}`);
  return codes;
}

function badge(text, kind) {
  return h('span', { class: `badge ${kind}` }, text);
}

/** One market's block: class, pathway, codes, rules, citations, rationale. */
function marketCard(code, market) {
  // The class as decided, derived ones too (a KR grade from the criteria, an EU Is/Im/Ir), flagged as such.
  const [decided, tentative] = decidedClass(market);
  const cls = decided ?? '—';
  return h('article', { class: 'market', 'aria-labelledby': `market-${code}` },
    h('h4', { id: `market-${code}` }, `${code} · ${market.authority || ''}`,
      market.needs_review ? badge(t('needsReview'), 'warn') : null,
      market.verified === false ? badge(t('unverified'), 'warn') : null,
      market.derived || tentative ? badge(t('derived'), 'warn') : null),
    h('dl', {},
      h('dt', {}, t('class')), h('dd', { class: 'class-value' }, String(cls)),
      h('dt', {}, t('pathway')), h('dd', {}, market.pathway || '—'),
      codesOf(market).length ? [h('dt', {}, t('codes')), h('dd', {}, codesOf(market).join(' · '))] : null,
      market.rules?.length ? [h('dt', {}, t('rules')), h('dd', {}, market.rules.join(', '))] : null,
    ),
    market.rationale ? h('p', { class: 'rationale' }, market.rationale) : null,
    market.citations?.length ? h('details', {}, h('summary', {}, t('citations')), list(market.citations)) : null,
  );
}

const Q_KIND = { device: 'ok', not_device: 'info', needs_review: 'warn' };

/** Is it a medical device at all: the overall answer, then each market's with its citations. */
function qualificationBlock(q) {
  if (!q || !q.status) return null;
  const status = (s) => t(`q_${s}`) || s;
  return h('section', { class: `qualification q-${q.status}`, 'aria-label': t('qualification') },
    h('h4', {}, `${t('qualification')}: `, badge(status(q.status), Q_KIND[q.status] || 'warn')),
    h('p', { class: 'rationale' }, q.reason || ''),
    h('ul', {}, Object.entries(q.markets || {}).map(([code, m]) => h('li', {},
      h('strong', {}, `${code}: ${status(m.status)}`), ` — ${m.reason || ''}`,
      m.citations?.length ? h('span', { class: 'muted' }, ` (${m.citations.join('; ')})`) : null,
      m.other_regime ? h('div', { class: 'muted' }, m.other_regime) : null))),
    q.question ? h('p', { role: 'note' }, h('strong', {}, `${t('questions')}: `), q.question) : null,
  );
}

/** The classification section's content. */
export function renderClassification(c) {
  const device = c.device ? `${c.device.name_ko && c.language === 'ko' ? c.device.name_ko : c.device.name}` : '—';
  const pct = Math.round((c.confidence ?? 0) * 100);
  return h('div', {},
    qualificationBlock(c.qualification),
    h('dl', { class: 'summary' },
      h('dt', {}, t('device')), h('dd', {}, device),
      h('dt', {}, t('category')), h('dd', {}, c.category?.label || c.category?.code || '—'),
      h('dt', {}, t('confidence')), h('dd', {},
        h('meter', { min: 0, max: 100, value: pct, 'aria-label': t('confidence') }), ` ${pct}%`,
        c.needs_review ? badge(t('needsReview'), 'warn') : null),
      h('dt', {}, t('engine')), h('dd', {}, c.engine || '—'),
    ),
    h('div', { class: 'markets' }, Object.entries(c.markets || {}).map(([code, m]) => marketCard(code, m))),
    h('div', { id: 'questions-slot' }),
    renderAttributes(c),
    c.alternatives?.length ? h('details', {}, h('summary', {}, t('alternatives')),
      list(c.alternatives.map((a) => `${c.language === 'ko' && a.name_ko ? a.name_ko : a.name} (${Math.round((a.score || 0) * 100)}%)`))) : null,
  );
}

const PURPOSE_FIELDS = ['intended_purpose', 'mechanism_of_action', 'target_population', 'indications',
  'contraindications', 'intended_users', 'use_environment', 'key_components'];

/** The purpose section's content. */
export function renderPurpose(p) {
  return h('dl', { class: 'purpose' }, PURPOSE_FIELDS.filter((k) => p[k] !== undefined).map((k) => [
    h('dt', {}, t(k)),
    h('dd', {}, Array.isArray(p[k]) ? list(p[k]) : String(p[k] ?? '—')),
  ]));
}

/** "ISO 14971:2019" whether the edition repeats the id ("ISO 14971:2019") or not ("2019"). */
export function standardLabel(s) {
  const id = String(s.id || '');
  const edition = s.edition ? String(s.edition) : '';
  if (!edition) return id;
  if (edition.startsWith(id)) return edition;
  return /^\d/.test(edition) ? `${id}:${edition}` : `${id} (${edition})`;
}

/** A plan card; `onRefine(plan)` opens the feedback form; `titles` names the plans it depends on. */
export function renderPlan(plan, { onRefine, fresh = false, titles = new Map() } = {}) {
  return h('article', { class: fresh ? 'plan fresh' : 'plan', id: `plan-${plan.id}`, dataset: { planId: plan.id }, 'aria-labelledby': `plan-title-${plan.id}` },
    h('header', {},
      h('h4', { id: `plan-title-${plan.id}`, 'data-path': 'title' }, plan.title),
      h('span', { class: 'weeks', 'data-path': 'estimated_weeks' }, t('weeksN', plan.estimated_weeks)),
    ),
    plan.markets?.length ? h('p', { class: 'plan-markets', 'data-path': 'markets' }, plan.markets.join(' · ')) : null,
    plan.rationale ? h('p', { class: 'rationale', 'data-path': 'rationale' }, plan.rationale) : null,
    h('h5', {}, t('standards')),
    h('ul', { class: 'standards' }, (plan.standards || []).map((s, i) => h('li', { 'data-path': `standards.${i}` },
      h('strong', {}, standardLabel(s)), ` ${s.title || ''}`,
      s.why ? h('span', { class: 'why' }, ` — ${s.why}`) : null))),
    h('h5', {}, t('activities')),
    h('table', { class: 'activities' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('activities')), h('th', { scope: 'col' }, t('deliverable')), h('th', { scope: 'col' }, t('weeksCol')))),
      h('tbody', {}, (plan.activities || []).map((a, i) => h('tr', { 'data-path': `activities.${i}` },
        h('td', {}, a.name), h('td', {}, a.deliverable), h('td', { class: 'num' }, a.weeks))))),
    plan.depends_on?.length ? h('p', { class: 'depends', 'data-path': 'depends_on' }, `${t('dependsOn')}: ${plan.depends_on.map((id) => titles.get(id) || id).join(', ')}`) : null,
    onRefine ? h('button', { type: 'button', class: 'secondary refine-btn', onclick: () => onRefine(plan) }, t('refine')) : null,
  );
}

/** Normalise a change path ("activities[1].weeks", "/activities/1", "plans[0].title") to dotted form. */
export function normalisePath(path) {
  return String(path || '').replace(/\[(\d+)\]/g, '.$1').replace(/^\/|^\./, '').replace(/\//g, '.')
    .replace(/^plans?\.(\d+\.)?/, '');
}

/** Mark the elements of a plan card that a change touched; return how many were marked. */
export function highlightChanges(card, changes) {
  let marked = 0;
  for (const change of changes || []) {
    const path = normalisePath(change.path);
    const parts = path.split('.');
    // Try the most specific element first: "activities.1.weeks" → "activities.1" → "activities".
    for (let n = parts.length; n > 0; n--) {
      const el = card.querySelector(`[data-path="${CSS.escape(parts.slice(0, n).join('.'))}"]`);
      if (el) { el.classList.add('changed'); marked++; break; }
    }
  }
  if (changes?.length) card.classList.add('refined');
  return marked;
}

/** The list of changes with before / after and the reason. */
export function renderChanges(refinement) {
  const changes = refinement.changes || [];
  return h('section', { class: 'changes', 'aria-label': t('changes') },
    h('h5', {}, t('changes')),
    changes.length ? h('ul', {}, changes.map((c) => h('li', {}, changeText(c)))) : h('p', { class: 'muted' }, t('noChanges')),
    refinement.not_applied?.length ? [h('h5', {}, t('notApplied')),
      h('ul', {}, refinement.not_applied.map((n) => h('li', {}, `${n.text} — ${n.reason}`)))] : null,
  );
}
