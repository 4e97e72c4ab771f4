// The plans as a Gantt chart in SVG: each plan starts when the plans it depends on end.

const SVG = 'http://www.w3.org/2000/svg';

const weeksOf = (plan) => {
  const w = Number(plan.estimated_weeks);
  if (Number.isFinite(w) && w > 0) return w;
  return (plan.activities || []).reduce((sum, a) => sum + (Number(a.weeks) || 0), 0) || 1;
};

/** Start and end week of every plan from `estimated_weeks` and `depends_on` (cycles are cut). */
export function schedule(plans) {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const rows = new Map();
  const visiting = new Set();
  const place = (plan) => {
    if (rows.has(plan.id)) return rows.get(plan.id);
    visiting.add(plan.id);
    let start = 0;
    for (const dep of plan.depends_on || []) {
      const other = byId.get(dep);
      // An unknown or circular dependency cannot push the start; it is drawn without an arrow.
      if (!other || visiting.has(dep)) continue;
      start = Math.max(start, place(other).end);
    }
    visiting.delete(plan.id);
    const row = { id: plan.id, title: plan.title, start, end: start + weeksOf(plan), deps: (plan.depends_on || []).filter((d) => byId.has(d) && d !== plan.id) };
    rows.set(plan.id, row);
    return row;
  };
  for (const plan of plans) place(plan);
  return plans.map((p) => rows.get(p.id));
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Cut a label to about `units` half-width characters (Hangul and other wide letters count two). */
export function fit(text, units) {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    used += /[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7a3\uff00-\uffef]/.test(text[i]) ? 2 : 1;
    if (used > units) return `${text.slice(0, i).trimEnd()}…`;
  }
  return text;
}

function tickStep(total) {
  for (const step of [1, 2, 4, 8, 12, 26, 52]) if (total / step <= 12) return step;
  return 104;
}

/** An <svg> Gantt of `plans`; `label(weeks)` formats axis ticks, `describe` the accessible summary. */
export function renderTimeline(plans, { label = (w) => `${w}`, describe = '' } = {}) {
  const rows = schedule(plans);
  const total = Math.max(1, ...rows.map((r) => r.end));
  const labelW = 230, rowH = 34, top = 30, right = 24, width = 900;
  const scale = (width - labelW - right) / total;
  const height = top + rows.length * rowH + 10;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'gantt', role: 'img', 'aria-labelledby': 'gantt-title gantt-desc', preserveAspectRatio: 'xMinYMin meet' });
  svg.append(el('title', { id: 'gantt-title' }, describe), el('desc', { id: 'gantt-desc' },
    rows.map((r) => `${r.title}: ${label(r.start)} – ${label(r.end)}`).join('; ')));
  const defs = el('defs');
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'gantt-arrowhead' }));
  defs.append(marker);
  svg.append(defs);
  const step = tickStep(total);
  for (let w = 0; w <= total; w += step) {
    const x = labelW + w * scale;
    svg.append(el('line', { x1: x, x2: x, y1: top - 6, y2: height - 6, class: 'gantt-grid' }),
      el('text', { x, y: top - 12, class: 'gantt-tick', 'text-anchor': 'middle' }, label(w)));
  }
  const index = new Map(rows.map((r, i) => [r.id, i]));
  rows.forEach((r, i) => {
    for (const dep of r.deps) {
      const j = index.get(dep);
      const from = rows[j];
      const x1 = labelW + from.end * scale, y1 = top + j * rowH + rowH / 2;
      const x2 = labelW + r.start * scale, y2 = top + i * rowH + rowH / 2;
      // Down from the end of the earlier bar, then right into the start of the later one.
      const xs = Math.max(labelW + from.start * scale + 2, x1 - 8);
      svg.append(el('path', { d: `M${xs},${y1 + rowH / 2 - 6} V${y2} H${x2}`, class: 'gantt-dep', 'marker-end': 'url(#arrow)' }));
    }
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const title = fit(r.title, 31);
    const g = el('g', { class: 'gantt-row', 'data-plan-id': r.id, 'data-start': r.start, 'data-end': r.end });
    g.append(el('text', { x: 8, y: y + rowH / 2 + 5, class: 'gantt-label' }, title));
    const bar = el('rect', { x: labelW + r.start * scale, y: y + 6, width: Math.max(2, (r.end - r.start) * scale), height: rowH - 12, rx: 4, class: 'gantt-bar' });
    bar.append(el('title', {}, `${r.title}: ${label(r.start)} – ${label(r.end)}`));
    g.append(bar, el('text', { x: labelW + r.end * scale - 6, y: y + rowH / 2 + 5, class: 'gantt-bar-text', 'text-anchor': 'end' }, `${r.end - r.start}`));
    svg.append(g);
  });
  return svg;
}
