// The conversation around the results: the questions as choices, the answers given, human labels for
// attributes, the refinement of the whole plan set in words (grouped by plan) and its undo.
import { language, t } from './i18n.js';
import { h } from './render.js';

let LABELS = { attributes: {}, values: {}, sources: {} };

/** Load the attribute labels (static/labels.json, the same file the exported memo reads). */
export async function loadLabels() {
  try {
    const response = await fetch('static/labels.json');
    if (response.ok) LABELS = await response.json();
  } catch { /* offline page: words are made from the keys instead */ }
}

// A key nobody labelled reads as words ("home_use" -> "home use"), never as the raw key.
const words = (key) => String(key).replace(/[_-]+/g, ' ').trim();

/** "Used at home by lay people" for `home_use`, in the page's language. */
export function attributeLabel(key) {
  return LABELS.attributes[key]?.[language()] || words(key);
}

/** An attribute's value in words: yes / no, "more than 30 days (long term)" … */
export function valueLabel(key, value) {
  if (value === true || value === false) return LABELS.values[String(value)]?.[language()] || t(value ? 'yes' : 'no');
  return LABELS.values[`${key}.${value}`]?.[language()] || words(value);
}

/** Where an attribute came from: device type, your description, your answer, assumed. */
export function sourceLabel(source) {
  return LABELS.sources[source]?.[language()] || words(source || '');
}

/** The class as decided, and whether it is only derived or tentative (a KR grade, an EU derived class). */
export function decidedClass(market) {
  if (market.class !== null && market.class !== undefined) return [String(market.class), false];
  if (market.qualification === 'not_device') return [null, false];
  for (const key of ['grade', 'derived_class', 'tentative_class']) {
    if (market[key] !== null && market[key] !== undefined) return [String(market[key]), true];
  }
  return [null, false];
}

/** The questions as choices; `onAnswer(detail, option)` re-classifies. Answered ones are listed with their answer. */
export function renderQuestions(c, answered, onAnswer, busy) {
  const open = (c.question_details || []).filter((d) => d.options?.length);
  const freeText = (c.question_details || []).filter((d) => !d.options?.length).map((d) => d.text);
  const given = Object.entries(c.answers || {});
  if (!open.length && !given.length && !freeText.length) return null;
  return h('section', { class: 'questions', 'aria-label': t('questions') },
    h('h4', {}, t('questions')),
    open.length ? h('p', { class: 'hint' }, t('answerHint')) : null,
    open.map((d) => h('fieldset', { class: 'question', dataset: { question: d.id } },
      h('legend', {}, d.text),
      h('div', { class: 'options' }, d.options.map((o) => h('button', {
        type: 'button', class: 'secondary option', dataset: { value: o.value }, disabled: busy,
        onclick: () => onAnswer(d, o),
      }, o.label))))),
    freeText.length ? h('ul', { class: 'free-questions' }, freeText.map((q) => h('li', {}, q))) : null,
    given.length ? h('div', { class: 'answers' }, h('h5', {}, t('yourAnswers')),
      h('ul', {}, given.map(([id, value]) => {
        const seen = answered.find((a) => a.id === id);
        return h('li', { dataset: { answer: id } }, h('strong', {}, `${seen?.text || attributeLabel(id)} `), `→ ${seen?.label || valueLabel(id, value)}`);
      }))) : null,
  );
}

/** The attributes the rules used, labelled in the page's language, each with where it came from. */
export function renderAttributes(c) {
  const sources = c.attribute_sources || {};
  const attrs = Object.entries(c.attributes || {}).filter(([, v]) => v !== null && v !== undefined);
  if (!attrs.length) return null;
  return h('details', {}, h('summary', {}, t('attributes')),
    h('ul', { class: 'attrs' }, attrs.map(([k, v]) => h('li', { dataset: { attribute: k }, class: sources[k] === 'answer' ? 'answered' : null },
      `${attributeLabel(k)}: ${valueLabel(k, v)}`, sources[k] ? h('span', { class: 'muted' }, ` (${t('attrSource', sourceLabel(sources[k]))})`) : null))));
}

/** A change in words: the server's `text`, else made from the path (an older server). */
export function changeText(change) {
  if (change.text) return change.text;
  const fmt = (v) => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? (v.name || v.id || '') : String(v));
  return `${fmt(change.before)} → ${fmt(change.after)}${change.reason ? ` — ${change.reason}` : ''}`;
}

/** One refinement of the whole plan set: its changes in words, grouped by plan, with the undo button. */
export function renderRefinement(result, plans, { onUndo, canUndo, busy }) {
  const titles = new Map(plans.map((p) => [p.id, p.title]));
  const groups = new Map();
  for (const change of result.changes || []) {
    const key = change.plan_id || '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(changeText(change));
  }
  return h('section', { class: 'refinement', 'aria-label': t('lastRefinement') },
    h('h4', {}, `${t('lastRefinement')}: “${result.feedback}”`),
    groups.size ? h('ul', { class: 'by-plan' }, [...groups].map(([id, texts]) => h('li', { dataset: { plan: id } },
      h('strong', {}, titles.get(id) || id || '—'), h('ul', {}, texts.map((x) => h('li', {}, x)))))) : h('p', { class: 'muted' }, t('noChanges')),
    result.not_applied?.length ? [h('h5', {}, t('notApplied')), h('ul', {}, result.not_applied.map((n) => h('li', {}, `${n.text} — ${n.reason}`)))] : null,
    h('button', { type: 'button', id: 'undo-refine', class: 'secondary', disabled: !canUndo || busy, onclick: onUndo }, t('undo')),
  );
}
