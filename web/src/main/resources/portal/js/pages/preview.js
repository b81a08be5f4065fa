// A look at an item without downloading it: the server picks the kind (PDF pages, image, text, table,
// archive listing, office document as sanitised HTML, audio/video, DICOM) and this panel draws it.
import { get, seg } from '../api.js';
import { h, replace, formatBytes } from '../dom.js';
import { formDialog, notify } from '../ui.js';
import { openDicomPreview } from './dicom.js';

export async function openPreview(item) {
  let preview;
  try {
    preview = await get(`/items/${seg(item.id)}/preview`);
  } catch (e) {
    notify(e.message, 'error');
    return;
  }
  if (preview.kind === 'dicom') {
    await openDicomPreview(item);
    return;
  }
  await formDialog({
    title: `Preview: ${item.name}`,
    testid: 'preview-dialog',
    submitLabel: 'Close',
    wide: true,
    content: h('div', { class: 'preview', 'data-testid': 'preview', 'data-kind': preview.kind }, body(item, preview)),
    onSubmit: async () => true,
  });
}

function body(item, preview) {
  switch (preview.kind) {
    case 'pages': return pages(item, preview.pages);
    case 'text': return [h('pre', { class: 'preview-text', 'data-testid': 'preview-text' }, preview.text), truncated(preview)];
    case 'table': return tables(preview.sheets);
    case 'archive': return archive(preview);
    case 'html': return [sanitised(preview.html), truncated(preview)];
    case 'media': return media(preview);
    default: return h('p', { class: 'muted', 'data-testid': 'preview-none' }, preview.reason ?? 'No preview.');
  }
}

function truncated(preview) {
  return preview.truncated ? h('p', { class: 'muted' }, 'Only the beginning is shown; download the file for the rest.') : null;
}

/** Page images one at a time, with previous/next. */
function pages(item, count) {
  let current = 1;
  const img = h('img', { class: 'preview-page', 'data-testid': 'preview-page', alt: '' });
  const label = h('span', { 'data-testid': 'preview-page-label', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'preview-prev' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'preview-next' }, 'Next page');
  const show = () => {
    img.src = `/api/v1/items/${seg(item.id)}/preview?page=${current}`;
    img.alt = `Page ${current} of ${item.name}`;
    replace(label, `Page ${current} of ${count}`);
    prev.disabled = current <= 1;
    next.disabled = current >= count;
  };
  prev.addEventListener('click', () => { current--; show(); });
  next.addEventListener('click', () => { current++; show(); });
  show();
  return [count > 1 ? h('div', { class: 'preview-nav' }, prev, label, next) : null, img];
}

/** Sheets as tabs over plain tables. */
function tables(sheets) {
  const holder = h('div', { class: 'preview-table-wrap' });
  const tabs = h('div', { role: 'tablist', class: 'preview-tabs' });
  const draw = (sheet, tab) => {
    tabs.querySelectorAll('[role=tab]').forEach((t) => t.setAttribute('aria-selected', String(t === tab)));
    const rows = sheet.rows.map((row, i) => h('tr', {}, row.map((cell) => h(i === 0 ? 'th' : 'td', {}, cell))));
    replace(holder, h('table', { class: 'meta-table', 'data-testid': 'preview-table' }, h('tbody', {}, rows)),
      sheet.truncated ? h('p', { class: 'muted' }, 'Only the first rows are shown.') : null);
  };
  sheets.forEach((sheet) => {
    const tab = h('button', { type: 'button', role: 'tab', class: 'quiet small', 'data-testid': 'preview-sheet' }, sheet.name);
    tab.addEventListener('click', () => draw(sheet, tab));
    tabs.append(tab);
  });
  if (sheets.length) draw(sheets[0], tabs.firstChild);
  return [sheets.length > 1 ? tabs : null, holder];
}

function archive(preview) {
  const rows = preview.entries.map((e) => h('tr', { 'data-testid': 'preview-entry' },
    h('td', { class: 'mono' }, e.name), h('td', {}, e.directory ? 'folder' : formatBytes(e.size)),
    h('td', {}, e.encrypted ? 'encrypted' : '')));
  return [h('table', { class: 'meta-table', 'data-testid': 'preview-archive' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Entry'), h('th', { scope: 'col' }, 'Size'), h('th', { scope: 'col' }, ''))),
    h('tbody', {}, rows)), preview.truncated ? h('p', { class: 'muted' }, 'The archive holds more entries.') : null];
}

/**
 * The server ran the document's HTML through the OWASP sanitiser (text structure only); a template keeps
 * it inert while it is parsed, and only its nodes are moved into the page.
 */
function sanitised(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  const holder = h('div', { class: 'preview-html', 'data-testid': 'preview-html' });
  holder.append(template.content);
  return holder;
}

function media(preview) {
  const tag = preview.mediaType?.startsWith('audio/') ? 'audio' : 'video';
  return h(tag, { controls: true, preload: 'metadata', src: preview.src, class: 'preview-media', 'data-testid': 'preview-media' });
}
