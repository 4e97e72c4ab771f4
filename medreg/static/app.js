// The page: runs classify → purpose → standards as streams, draws results, refines plans, exports.
import { streamSSE } from './sse-client.js';
import { applyTexts, initialLanguage, language, setLanguage, t } from './i18n.js';
import { h, highlightChanges, renderChanges, renderClassification, renderPlan, renderPurpose } from './render.js';
import { renderTimeline, schedule } from './timeline.js';
import { loadLabels, renderQuestions, renderRefinement } from './flow.js';
import { createConversation } from './conversation.js';
import { $, setStatus, showError, clearError, fieldsText, authHeaders, askForKey, markStep, resetSteps, appendDelta, show, setPlanProgress } from './page.js';

// history: the plans before each refinement (for undo); plansStale: answers changed after the plans were made.
const state = { dossier: null, controller: null, busy: false, lastChanges: new Map(), history: [], lastRefinement: null, plansStale: false };

function newDossier(concept, context, markets) {
  return { concept, context: context || null, language: language(), markets, classification: null, answered: [], purpose: null, plans: [], refinements: [] };
}

function setBusy(busy) {
  state.busy = busy;
  $('start').disabled = busy;
  $('stop').disabled = !busy;
  $('concept').setAttribute('aria-busy', String(busy));
  for (const btn of document.querySelectorAll('.refine-btn, .export-btn, .option')) btn.disabled = busy;
  if ($('undo-refine')) $('undo-refine').disabled = busy || !state.history.length;
  document.body.classList.toggle('busy', busy);
}

/** One streamed step: returns the `result` data, or null after an error event or a stop. */
async function runStep(step, body, { onPlan } = {}) {
  const result = await streamStep(step, body, onPlan);
  markStep(step, result ? 'done' : 'failed');
  return result;
}

async function streamStep(step, body, onPlan) {
  let result = null;
  $('model-text-body').textContent = '';
  $('model-text').hidden = true;
  const controller = state.controller;
  markStep(step, 'active');
  setStatus(t('connecting'));
  try {
    const terminal = await streamSSE(`api/stream/${step}`, {
      body, signal: controller.signal, timeout: 300000, headers: authHeaders(),
      onRetry: ({ attempt, delay }) => setStatus(t('retrying', attempt, delay / 1000)),
      onEvent: ({ event, data }) => {
        if (event === 'status') setStatus(data.message, data.progress);
        else if (event === 'plan') onPlan?.(data);
        else if (event === 'delta') appendDelta(data.text);
        else if (event === 'result') result = data.data;
        else if (event === 'error') {
          showError(data.message || data.code, fieldsText(data.fields));
          if (data.code === 'unauthorized') askForKey();
        }
      },
    });
    return terminal.event === 'done' ? result : null;
  } catch (err) {
    if (err.name === 'AbortError') { setStatus(t('stopped')); return null; }
    showError(t('networkError'), err.message);
    return null;
  }
}

function drawPlans(freshId = null) {
  const cards = $('plan-cards');
  const titles = new Map(state.dossier.plans.map((p) => [p.id, p.title]));
  cards.replaceChildren(...state.dossier.plans.map((p) => {
    const card = renderPlan(p, { onRefine: openRefine, fresh: p.id === freshId, titles });
    const refinement = state.lastChanges.get(p.id);
    if (refinement) {
      highlightChanges(card, refinement.changes);
      card.append(renderChanges(refinement));
    }
    return card;
  }));
  setBusy(state.busy);
}

function drawTimeline() {
  const plans = state.dossier.plans;
  if (!plans.length) return;
  const total = Math.max(0, ...schedule(plans).map((r) => r.end));
  show('timeline', renderTimeline(plans, { label: (w) => t('weeksN', w), describe: `${t('timeline')}: ${t('timelineDesc', plans.length, total)}` }));
}

function drawQuestions() {
  const d = state.dossier;
  const slot = $('questions-slot');
  if (slot) slot.replaceChildren(renderQuestions(d.classification, d.answered || [], conversation.answer, state.busy) || '');
}

function drawRefinement() {
  const d = state.dossier;
  $('refinement-summary').replaceChildren(state.lastRefinement
    ? renderRefinement(state.lastRefinement, d.plans, { onUndo: conversation.undo, canUndo: state.history.length > 0, busy: state.busy }) : '');
}

function drawAll() {
  const d = state.dossier;
  if (!d) return;
  if (d.classification) { show('classification', renderClassification(d.classification)); drawQuestions(); }
  if (d.purpose) show('purpose', renderPurpose(d.purpose)); else $('purpose').hidden = true;
  $('plans-outdated').hidden = !state.plansStale;
  if (d.plans.length || state.plansStale) $('plans').hidden = false;
  drawPlans();
  if (d.plans.length) drawTimeline(); else $('timeline').hidden = true;
  drawRefinement();
  $('refine-all-form').hidden = !d.plans.length;
  $('export').hidden = !d.classification;
  setBusy(state.busy);
}

/** Whether the classification says there is no medical device to plan for (the server answers not_a_device). */
function notADevice(c) {
  const status = c?.qualification?.status;
  if (status === 'not_device') return true;
  return status === 'needs_review' && !c.device && !Object.values(c.markets || {}).some((m) => m?.class);
}

async function analyse(event) {
  event.preventDefault();
  if (state.busy) return;
  clearError();
  const concept = $('concept').value.trim();
  if (!concept) { showError(t('emptyConcept')); $('concept').focus(); return; }
  const markets = [...document.querySelectorAll('input[name=market]:checked')].map((x) => x.value);
  const context = $('context').value.trim();
  state.dossier = newDossier(concept, context, markets);
  state.lastChanges.clear();
  Object.assign(state, { history: [], lastRefinement: null, plansStale: false });
  $('refinement-summary').replaceChildren();
  for (const id of ['classification', 'purpose', 'plans', 'timeline', 'export']) $(id).hidden = true;
  resetSteps();
  document.querySelector('#steps [data-step="refine"]').hidden = true;
  $('plan-cards').replaceChildren();
  setPlanProgress(0, 0);
  state.controller = new AbortController();
  setBusy(true);
  try {
    const classification = await runStep('classify', { concept, context: context || undefined, markets, language: language() });
    if (!classification) return;
    state.dossier.classification = classification;
    drawAll();
    await planFrom(classification);
  } finally {
    setBusy(false);
  }
  conversation.catchUp();
}

/** Purpose, then the plans streamed one by one, for a classification; true when both arrived. */
async function planFrom(classification) {
  const d = state.dossier;
  const lang = language();
  if (notADevice(classification)) { setStatus(t('notADevice'), 1); return false; }   // no device, no device plan
  const purpose = await runStep('purpose', { concept: d.concept, classification, context: d.context || undefined, language: lang });
  if (!purpose) return false;
  d.purpose = purpose;
  drawAll();
  $('plans').hidden = false;
  const plans = await runStep('standards', { classification, category: classification.category, purposeMechanism: purpose, markets: d.markets, language: lang }, {
    onPlan: ({ data, index, total }) => {
      d.plans.push(data);
      setPlanProgress(index, total);
      drawPlans(data.id);
    },
  });
  if (!plans) return false;
  d.plans = plans.plans;
  setPlanProgress(plans.plans.length, plans.total_plans || plans.plans.length);
  drawAll();
  setStatus(t('finished'), 1);
  return true;
}

let refining = null;

function openRefine(plan) {
  refining = plan;
  $('refine-plan-title').textContent = plan.title;
  $('feedback').value = '';
  $('refine-dialog').showModal();
  $('feedback').focus();
}

async function refine(event) {
  event.preventDefault();
  const feedback = $('feedback').value.trim();
  if (!feedback || !refining) return;
  $('refine-dialog').close();
  const plan = refining;
  await conversation.refine(feedback, plan);
  document.querySelector(`#plan-${CSS.escape(plan.id)}`)?.scrollIntoView({ block: 'nearest' });
}

/** One feedback for every plan, in one request; the changes are listed in words, grouped by plan. */
async function refineAll(event) {
  event.preventDefault();
  const feedback = $('refine-all-feedback').value.trim();
  if (!feedback || !state.dossier?.plans.length) return;
  await conversation.refine(feedback);
  if (state.lastRefinement?.feedback === feedback) $('refine-all-feedback').value = '';
}

async function exportDossier(format) {
  clearError();
  try {
    const response = await fetch('api/export', {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...authHeaders() },
      // The reader's time zone, for the memo's local time beside UTC.
      body: JSON.stringify({ format, language: language(), dossier: state.dossier, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      if (body.error?.code === 'unauthorized') askForKey();
      throw new Error(body.error?.message || `HTTP ${response.status}`);
    }
    const blob = await response.blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: `medreg-dossier.${format === 'html' ? 'html' : 'md'}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (err) {
    showError(t('exportFailed'), err.message);
  }
}

function pressLanguage() {
  for (const btn of document.querySelectorAll('.lang-btn')) btn.setAttribute('aria-pressed', String(btn.dataset.lang === language()));
  applyTexts();
}

function switchLanguage(lang) {
  const previous = language();
  setLanguage(lang);
  pressLanguage();
  if (!state.busy) setStatus(state.dossier ? $('status-text').textContent : t('idle'));
  drawAll();
  // Results already on screen are fetched again in the new language: never a page in two languages.
  const d = state.dossier;
  if (d?.classification && d.language !== language() && !state.busy) conversation.relocalise(language(), previous);
}

const conversation = createConversation({
  state, runStep, drawAll, setBusy, setStatus, clearError, planFrom, notADevice,
  applyTexts: pressLanguage,
});

async function init() {
  await loadLabels();
  switchLanguage(initialLanguage());
  try { $('api-key').value = sessionStorage.getItem('medreg.key') || ''; } catch { /* storage off */ }
  $('concept-form').addEventListener('submit', analyse);
  $('concept').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('concept-form').requestSubmit();
  });
  $('stop').addEventListener('click', () => state.controller?.abort());
  $('refine-form').addEventListener('submit', refine);
  $('feedback').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('refine-form').requestSubmit();
  });
  $('refine-cancel').addEventListener('click', () => $('refine-dialog').close());
  $('refine-all-form').addEventListener('submit', refineAll);
  $('refine-all-feedback').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('refine-all-form').requestSubmit();
  });
  $('update-plans').addEventListener('click', () => conversation.updatePlans());
  $('export-md').addEventListener('click', () => exportDossier('markdown'));
  $('export-html').addEventListener('click', () => exportDossier('html'));
  for (const btn of document.querySelectorAll('.lang-btn')) btn.addEventListener('click', () => switchLanguage(btn.dataset.lang));
  setStatus(t('idle'), 0);
  setBusy(false);
  // Read-only view for tests and the devtools console.
  window.medreg = { dossier: () => structuredClone(state.dossier) };
  document.body.dataset.ready = 'true';
}

init();
