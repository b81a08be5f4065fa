// A DICOM instance at a glance: the rendered first frame and its tags, for an item that holds one.
import { get, seg } from '../api.js';
import { h } from '../dom.js';
import { formDialog, notify } from '../ui.js';

export async function openDicomPreview(item) {
  let dicom;
  try {
    dicom = await get(`/items/${seg(item.id)}/dicom`);
  } catch (e) {
    notify(e.status === 404 ? `“${item.name}” is not a DICOM instance Arca could read.` : e.message, 'error');
    return;
  }
  const image = dicom.hasPixels
    ? h('img', { src: `${dicom.renderedUrl}?viewport=512,512`, alt: `First frame of ${item.name}`, class: 'dicom-image', 'data-testid': 'dicom-image', loading: 'eager' })
    : h('p', { class: 'muted', 'data-testid': 'dicom-no-image' }, 'This instance has no image (a report, document or plan).');
  const rows = dicom.tags.map((t) => h('tr', { 'data-testid': 'dicom-tag' },
    h('td', { class: 'mono' }, t.tag),
    h('th', { scope: 'row', 'data-testid': 'dicom-keyword' }, t.keyword || 'Private or unknown'),
    h('td', { class: 'mono' }, t.vr),
    h('td', { 'data-testid': 'dicom-value' }, t.value)));
  const table = h('table', { class: 'meta-table dicom-tags', 'data-testid': 'dicom-tags' },
    h('caption', { class: 'visually-hidden' }, `DICOM tags of ${item.name}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Tag'), h('th', { scope: 'col' }, 'Keyword'),
      h('th', { scope: 'col' }, 'VR'), h('th', { scope: 'col' }, 'Value'))),
    h('tbody', {}, rows));
  // "Run model" on the series this instance belongs to: the AI page's run form, filled in.
  const uid = (keyword) => dicom.tags.find((t) => t.keyword === keyword)?.value;
  const study = uid('StudyInstanceUID');
  const series = uid('SeriesInstanceUID');
  const runModel = study && series
    ? h('p', {}, h('a', {
      class: 'button secondary small', 'data-testid': 'dicom-run-model',
      href: `#/ai?${new URLSearchParams({ study, series })}`,
      onclick: (event) => event.currentTarget.closest('dialog')?.close(),
    }, 'Run a model on this series'))
    : null;
  await formDialog({
    title: `DICOM: ${item.name}`,
    testid: 'dicom-dialog',
    submitLabel: 'Close',
    wide: true,
    content: [image, runModel, h('div', { class: 'dicom-table-wrap' }, table)],
    onSubmit: async () => true,
  });
}
