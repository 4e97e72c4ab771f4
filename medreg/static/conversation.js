// What the user does after the first answer: answer a question (classify again), make the plans again on
// request, refine the whole plan set at once, undo the last refinement, and switch language (every result
// on screen is fetched again in the new language, so the page is never half one language, half the other).
import { language, setLanguage, t } from './i18n.js';

/** The actions, bound to the page's state and its step runner (`ctx`: state, runStep, drawAll, setBusy, setStatus, clearError, planFrom, applyTexts). */
export function createConversation(ctx) {
  const { state } = ctx;

  async function busyWhile(work) {
    if (state.busy) return;
    ctx.clearError();
    state.controller = new AbortController();
    ctx.setBusy(true);
    try { await work(); } finally { ctx.setBusy(false); }
    catchUp();
  }

  /** The language was switched while a step ran: fetch the results again in it now. */
  function catchUp() {
    const d = state.dossier;
    if (d?.classification && d.language !== language() && !state.busy) relocalise(language(), d.language);
  }

  const classifyBody = (d, lang, answers) => ({
    concept: d.concept, context: d.context || undefined, markets: d.markets, language: lang,
    answers: answers && Object.keys(answers).length ? answers : undefined,
  });

  /** A question answered: classify again with every answer given; the plans wait until asked for. */
  function answer(detail, option) {
    return busyWhile(async () => {
      const d = state.dossier;
      const answers = { ...(d.classification.answers || {}), [detail.id]: option.value };
      const c = await ctx.runStep('classify', classifyBody(d, language(), answers));
      if (!c) return;
      d.answered = [...(d.answered || []).filter((a) => a.id !== detail.id), { id: detail.id, text: detail.text, label: option.label }];
      d.classification = c;
      state.plansStale = Boolean(d.purpose || d.plans.length) || !ctx.notADevice(c);
      ctx.drawAll();
      ctx.setStatus(t('finished'), 1);
    });
  }

  /** The plans made again for the classification as answered (on request only). */
  function updatePlans() {
    return busyWhile(async () => {
      const d = state.dossier;
      state.history = [];
      state.lastRefinement = null;
      state.lastChanges.clear();
      d.plans = [];
      d.refinements = [];
      if (await ctx.planFrom(d.classification)) state.plansStale = false;
      ctx.drawAll();
    });
  }

  function snapshot() {
    const d = state.dossier;
    return { plans: structuredClone(d.plans), refinements: d.refinements.length,
      lastChanges: new Map(state.lastChanges), lastRefinement: state.lastRefinement };
  }

  /** Put a refinement's plans in place; remember its changes per plan, for highlights and the summary. */
  function apply(result, feedback, planId) {
    const d = state.dossier;
    const updated = result.plans || (result.plan ? [result.plan] : []);
    state.lastChanges.clear();
    if (planId) {
      const at = d.plans.findIndex((p) => p.id === planId);
      if (at >= 0 && updated[0]) d.plans[at] = updated[0];
    } else {
      d.plans = updated;   // the whole set: plans a feedback made moot are gone from it
    }
    for (const plan of updated) {
      const mine = (result.changes || []).filter((c) => c.plan_id === plan.id || (planId && !c.plan_id));
      if (mine.length) state.lastChanges.set(plan.id, { ...result, changes: mine });
    }
    d.refinements.push({ plan_id: planId, feedback, changes: result.changes || [], not_applied: result.not_applied || [], engine: result.engine });
    state.lastRefinement = { ...result, feedback };
  }

  /** Feedback for one plan (its card's button) or for every plan at once (`plan` null), in one request. */
  function refine(feedback, plan = null) {
    return busyWhile(async () => {
      const d = state.dossier;
      const body = { feedback, classification: d.classification, purposeMechanism: d.purpose, language: language() };
      const result = await ctx.runStep('refine', plan ? { ...body, plan } : { ...body, plans: d.plans });
      if (!result) return;
      state.history.push(snapshot());
      apply(result, feedback, plan ? plan.id : null);
      ctx.drawAll();
      ctx.setStatus(t('finished'), 1);
    });
  }

  /** Back to the plans as they were before the last refinement. */
  function undo() {
    const before = state.history.pop();
    if (!before || state.busy) return;
    const d = state.dossier;
    d.plans = before.plans;
    d.refinements = d.refinements.slice(0, before.refinements);
    state.lastChanges = before.lastChanges;
    state.lastRefinement = before.lastRefinement;
    ctx.drawAll();
    ctx.setStatus(t('undone'), 1);
  }

  /** Every result on screen again in `lang`: classification (same answers), purpose, plans, refinements replayed. */
  function relocalise(lang, previous) {
    return busyWhile(async () => {
      const d = state.dossier;
      ctx.setStatus(t('relocalising'));
      const next = { ...d, language: lang, answered: [], purpose: null, plans: [], refinements: [] };
      const failed = () => { setLanguage(previous); ctx.applyTexts(); ctx.drawAll(); };
      next.classification = await ctx.runStep('classify', classifyBody(d, lang, d.classification.answers));
      if (!next.classification) return failed();
      const common = { classification: next.classification, language: lang };
      if (d.purpose) {
        next.purpose = await ctx.runStep('purpose', { concept: d.concept, context: d.context || undefined, ...common });
        if (!next.purpose) return failed();
      }
      if (d.plans.length && !state.plansStale) {
        const plans = await ctx.runStep('standards', { ...common, category: next.classification.category, purposeMechanism: next.purpose, markets: d.markets });
        if (!plans) return failed();
        next.plans = plans.plans;
        state.dossier = next;
        for (const r of d.refinements) {   // the same feedback, answered in the new language
          const plan = r.plan_id ? next.plans.find((p) => p.id === r.plan_id) : null;
          if (r.plan_id && !plan) continue;
          const body = { ...common, feedback: r.feedback, purposeMechanism: next.purpose, ...(plan ? { plan } : { plans: next.plans }) };
          const result = await ctx.runStep('refine', body);
          if (!result) { state.dossier = d; return failed(); }
          apply(result, r.feedback, r.plan_id);
        }
      }
      state.dossier = next;
      state.history = [];   // an undo would bring back plans in the other language
      ctx.drawAll();
      ctx.setStatus(t('finished'), 1);
    });
  }

  return { answer, updatePlans, refine, undo, relocalise, catchUp };
}
