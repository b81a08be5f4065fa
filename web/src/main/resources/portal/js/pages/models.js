// AI models: the catalogue with each version's status (and, for one's own submissions, the curator's reason),
// submitting a package, the curator's queue, running an approved model on a series, and one's jobs.
import { get, post, del, seg, errorFrom, PORTAL_HEADERS } from '../api.js';
import { h, replace, time, field, formValues } from '../dom.js';
import { busy, errorBox, showError, notify } from '../ui.js';

export async function render(ctx) {
  document.title = 'AI models · Arca';
  const roles = (ctx.session.me.roles ?? []).map((r) => String(r).toLowerCase());
  const curator = roles.includes('curator') || roles.includes('admin');
  const [models, jobs] = await Promise.all([get('/models'), get('/jobs')]);
  if (!ctx.isCurrent()) return;
  const approved = models.filter((m) => m.status === 'APPROVED');
  const queue = models.filter((m) => m.status === 'SUBMITTED');
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'AI models'),
      h('p', { class: 'muted' }, 'Models are data, not code: an ONNX graph and a manifest, approved by a curator before they run.'))),
    h('section', { class: 'card', 'aria-labelledby': 'catalogue-h' },
      h('h2', { id: 'catalogue-h' }, 'Catalogue'),
      table(['Model', 'Version', 'Status', 'Description', 'Note'], models.map((m) => [m.id, m.version, m.status, m.description,
        m.reason ?? '']), 'model-catalogue'),
      submitForm(ctx)),
    curator ? h('section', { class: 'card', 'aria-labelledby': 'queue-h', 'data-testid': 'curator-queue' },
      h('h2', { id: 'queue-h' }, 'Waiting for review'),
      queue.length ? queue.map((m) => reviewRow(ctx, m)) : h('p', { class: 'muted' }, 'Nothing to review.')) : null,
    runForm(ctx, approved),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-h' },
      h('h2', { id: 'jobs-h' }, 'My jobs'),
      table(['Started', 'Model', 'Status', 'Progress', 'Error', 'Results', ''], jobs.map((j) => [time(j.createdAt),
        `${j.modelId} ${j.version}`, j.status, `${Math.round(j.progress * 100)}%`, j.error ?? '',
        results(j),
        j.status === 'queued' || j.status === 'running'
          ? h('button', { type: 'button', class: 'secondary small', onclick: async () => { await del(`/jobs/${seg(j.id)}`); ctx.navigate('#/ai'); } }, 'Cancel')
          : h('details', {}, h('summary', {}, 'Log'), h('pre', {}, j.log || '(empty)'))]), 'job-list')));
}

/**
 * A job's results where the user looks for them: a segmentation opens over its study in the viewer, class
 * scores show as a table (read from the result item when opened), and everything is in the output folder.
 */
function results(j) {
  if (!j.results.length) return '';
  const parts = [h('a', { href: `#/folders/${seg(j.outputFolderId)}`, 'data-testid': 'job-folder' }, `${j.results.length} item(s)`)];
  for (const r of j.results) {
    if (r.kind === 'segmentation') {
      parts.push(h('a', { href: `/ohif/viewer?StudyInstanceUIDs=${encodeURIComponent(j.inputs.studyInstanceUid)}`,
        target: '_blank', rel: 'noopener', 'data-testid': 'job-open-ohif' }, 'Segmentation in OHIF'));
    } else if (r.kind === 'scores') {
      parts.push(scoresTable(r));
    }
  }
  return h('div', { class: 'job-results' }, parts);
}

function scoresTable(result) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const details = h('details', { 'data-testid': 'job-scores' }, h('summary', {}, 'Scores'), body);
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = 'true';
    try {
      const response = await fetch(`/api/v1/items/${seg(result.itemId)}/content`, { credentials: 'same-origin', headers: PORTAL_HEADERS });
      if (!response.ok) throw errorFrom(response.status, await response.json().catch(() => null));
      const doc = await response.json();
      const shown = doc.instances.slice(0, 100);
      replace(body, h('table', { class: 'listing', 'data-testid': 'job-scores-table' },
        h('thead', {}, h('tr', {}, ['Instance', 'Frame', ...doc.labels, 'Best'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, shown.map((i) => h('tr', {}, [i.sopInstanceUid, i.frame,
          ...doc.labels.map((l) => Number(i.scores[l]).toFixed(3)), i.best].map((c) => h('td', {}, String(c))))))),
      doc.instances.length > shown.length ? h('p', { class: 'muted' }, `The first ${shown.length} of ${doc.instances.length}; all are in the CSV.`) : null);
    } catch (e) {
      replace(body, h('p', { class: 'error' }, e.message ?? String(e)));
    }
  });
  return details;
}

function table(headings, rows, testid) {
  if (!rows.length) return h('p', { class: 'muted', 'data-testid': testid }, 'None yet.');
  return h('table', { class: 'listing', 'data-testid': testid },
    h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))));
}

function submitForm(ctx) {
  const error = errorBox('submit-error');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit for review');
  const form = h('form', { 'data-testid': 'model-submit' },
    field('Model package (.zip with model.json and the .onnx graph)', { name: 'package', type: 'file', accept: '.zip', required: true }),
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const file = form.elements.package.files[0];
    await busy(submit, async () => {
      const response = await fetch('/api/v1/models', { method: 'POST', credentials: 'same-origin', body: file,
        headers: { ...PORTAL_HEADERS, 'Content-Type': 'application/zip' } });
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        showError(error, errorFrom(response.status, data));
        return;
      }
      notify(`Submitted ${data.id} ${data.version}; a curator will review it.`);
      ctx.navigate('#/ai');
    });
  });
  return form;
}

function reviewRow(ctx, m) {
  const error = errorBox('review-error');
  const reason = h('input', { type: 'text', name: 'reason', 'aria-label': `Reason to reject ${m.id} ${m.version}` });
  const act = (action) => async () => {
    try {
      await post(`/models/${seg(m.id)}/versions/${seg(m.version)}/${action}`, action === 'reject' ? { reason: reason.value } : {});
      notify(`${m.id} ${m.version}: ${action === 'approve' ? 'approved' : 'rejected'}.`);
      ctx.navigate('#/ai');
    } catch (e) {
      showError(error, e);
    }
  };
  return h('div', { class: 'review', 'data-testid': `review-${m.id}` },
    h('p', {}, h('strong', {}, `${m.id} ${m.version}`), ` — ${m.description} (sha256 ${m.sha256.slice(0, 12)}…)`),
    h('button', { type: 'button', class: 'primary small', 'data-testid': 'approve', onclick: act('approve') }, 'Approve'), ' ',
    reason, ' ', h('button', { type: 'button', class: 'secondary small', onclick: act('reject') }, 'Reject'), error);
}

function runForm(ctx, approved) {
  const error = errorBox('run-error');
  const params = h('div', {});
  const select = h('select', { name: 'model', id: 'run-model', required: true },
    approved.map((m, i) => h('option', { value: String(i) }, `${m.id} ${m.version}`)));
  const drawParameters = () => {
    const m = approved[Number(select.value)];
    replace(params, (m?.manifest.parameters ?? []).map((p) => p.type === 'choice'
      ? h('label', {}, p.name, h('select', { name: `p.${p.name}` }, p.choices.map((c) => h('option', { value: c, selected: c === p.defaultValue }, c))))
      : field(p.name, { name: `p.${p.name}`, type: p.type === 'number' ? 'number' : 'text', step: 'any',
        value: p.defaultValue ?? '', min: p.min ?? null, max: p.max ?? null })));
  };
  select.addEventListener('change', drawParameters);
  drawParameters();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Run');
  const form = h('form', { class: 'card', 'data-testid': 'run-model', 'aria-labelledby': 'run-h' },
    h('h2', { id: 'run-h' }, 'Run a model'),
    approved.length ? [h('label', { for: 'run-model' }, 'Model'), select,
      field('Study Instance UID', { name: 'study', value: ctx.query.get('study') ?? '', required: true }),
      field('Series Instance UID', { name: 'series', value: ctx.query.get('series') ?? '', required: true }),
      field('Output folder id (empty: a “results” folder beside the series)', { name: 'output' }),
      params, error, submit] : h('p', { class: 'muted' }, 'No approved model yet.'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const values = formValues(form);
    const m = approved[Number(select.value)];
    const parameters = {};
    for (const p of m.manifest.parameters) {
      const v = values[`p.${p.name}`];
      if (v !== undefined && v !== '') parameters[p.name] = p.type === 'number' ? Number(v) : v;
    }
    await busy(submit, async () => {
      try {
        await post('/jobs', { modelId: m.id, version: m.version, parameters, outputFolderId: values.output || null,
          inputs: { studyInstanceUid: values.study, seriesInstanceUid: values.series } });
        notify('The job is queued.');
        ctx.navigate('#/ai');
      } catch (e) {
        showError(error, e);
      }
    });
  });
  return form;
}
