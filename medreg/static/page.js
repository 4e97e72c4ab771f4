// The page's small parts: status line, error box, API key, step markers, model text, sections, plan progress.
import { t } from './i18n.js';
import { h } from './render.js';

export const $ = (id) => document.getElementById(id);

export function setStatus(message, progress) {
  $('status-text').textContent = message;
  if (typeof progress === 'number') {
    $('status-progress').value = Math.round(progress * 100);
  }
}

export function showError(message, detail) {
  const box = $('error');
  // replaceChildren would print a null as the text "null": leave the detail out instead.
  box.replaceChildren(h('strong', {}, `${t('errorTitle')}: `), message, ...(detail ? [h('div', { class: 'detail' }, detail)] : []));
  box.hidden = false;
}

export function clearError() {
  $('error').hidden = true;
  $('error').replaceChildren();
}

export function fieldsText(fields) {
  if (!fields) return '';
  return Object.entries(fields).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
}

export function authHeaders() {
  const key = $('api-key').value.trim();
  try { sessionStorage.setItem('medreg.key', key); } catch { /* storage off */ }
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export function askForKey() {
  $('server-settings').open = true;
  $('api-key').focus();
}

export function markStep(step, how) {
  const li = document.querySelector(`#steps [data-step="${step}"]`);
  if (!li) return;
  li.hidden = false;
  li.classList.remove('active', 'done', 'failed');
  li.classList.add(how);
  if (how === 'active') li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
}

export function resetSteps() {
  for (const li of document.querySelectorAll('#steps li')) {
    li.classList.remove('active', 'done', 'failed');
    li.removeAttribute('aria-current');
  }
}

export function appendDelta(text) {
  const body = $('model-text-body');
  // Keep the tail only: a long answer must not grow the page without end.
  body.textContent = (body.textContent + (text || '')).slice(-4000);
  $('model-text').hidden = false;
}

export function show(id, content) {
  const section = $(id);
  section.querySelector('.content').replaceChildren(content);
  section.hidden = false;
}

export function setPlanProgress(index, total) {
  const pct = total ? Math.round((index / total) * 100) : 0;
  const bar = $('plan-progress');
  bar.value = pct;
  bar.setAttribute('aria-valuetext', `${pct}%`);
  $('plan-progress-text').textContent = `${t('plansProgress', index, total)} · ${pct}%`;
}
