// The metadata editor for a folder or an item: typed key/value pairs (text, number, date), saved whole.
import { get, put, seg } from '../api.js';
import { h } from '../dom.js';
import { formDialog, notify } from '../ui.js';

const TYPES = [['text', 'Text'], ['number', 'Number'], ['date', 'Date']];

/** kind is 'folders' or 'items'. Read-only when the caller may not write. */
export async function openMetadataDialog(kind, node, writable) {
  let values;
  try {
    values = await get(`/${kind}/${seg(node.id)}/metadata`);
  } catch (e) {
    notify(e.message, 'error');
    return;
  }
  const rows = h('tbody', { 'data-testid': 'metadata-rows' });
  const empty = h('p', { class: 'muted', 'data-testid': 'metadata-empty' }, 'No metadata yet.');
  const sync = () => { empty.hidden = rows.children.length > 0; };
  for (const [key, value] of Object.entries(values)) rows.append(metadataRow(key, value.type, value.value, writable, sync));
  sync();
  const add = writable
    ? h('button', { type: 'button', class: 'secondary small', 'data-testid': 'metadata-add' }, '+ Add field')
    : null;
  add?.addEventListener('click', () => {
    const row = metadataRow('', 'text', '', true, sync);
    rows.append(row);
    sync();
    row.querySelector('input').focus();
  });
  const content = [
    h('table', { class: 'meta-table' },
      h('caption', { class: 'visually-hidden' }, `Metadata of ${node.name}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Value'),
        writable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')) : null)),
      rows),
    empty,
    add ? h('p', {}, add) : null,
  ];
  if (!writable) {
    await formDialog({ title: `Metadata of “${node.name}”`, testid: 'metadata-dialog', submitLabel: 'Close', wide: true, content, onSubmit: async () => true });
    return;
  }
  const saved = await formDialog({
    title: `Metadata of “${node.name}”`,
    testid: 'metadata-dialog',
    submitLabel: 'Save metadata',
    wide: true,
    content,
    onSubmit: () => put(`/${kind}/${seg(node.id)}/metadata`, collect(rows)),
  });
  if (saved) notify(`Metadata of “${node.name}” saved.`, 'success');
}

function inputType(type) {
  return type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';
}

function metadataRow(key, type, value, writable, sync) {
  if (!writable) {
    return h('tr', { 'data-testid': 'metadata-row' },
      h('th', { scope: 'row', 'data-testid': 'metadata-key' }, key),
      h('td', {}, type),
      h('td', { 'data-testid': 'metadata-value' }, String(value)));
  }
  const keyInput = h('input', { type: 'text', value: key, required: true, 'aria-label': 'Field name', 'data-testid': 'metadata-key' });
  const typeSelect = h('select', { 'aria-label': 'Field type', 'data-testid': 'metadata-type' },
    TYPES.map(([v, label]) => h('option', { value: v, selected: v === type }, label)));
  const valueInput = h('input', { type: inputType(type), value: String(value ?? ''), required: true, step: 'any', 'aria-label': 'Value', 'data-testid': 'metadata-value' });
  typeSelect.addEventListener('change', () => {
    valueInput.value = '';
    valueInput.type = inputType(typeSelect.value);
  });
  const remove = h('button', { type: 'button', class: 'quiet small danger-text', 'data-testid': 'metadata-remove' }, 'Remove');
  const row = h('tr', { 'data-testid': 'metadata-row' }, h('td', {}, keyInput), h('td', {}, typeSelect), h('td', {}, valueInput), h('td', {}, remove));
  remove.addEventListener('click', () => {
    row.remove();
    sync();
  });
  return row;
}

function collect(rows) {
  const body = {};
  for (const row of rows.querySelectorAll('tr')) {
    const key = row.querySelector('[data-testid=metadata-key]').value.trim();
    const type = row.querySelector('[data-testid=metadata-type]').value;
    const raw = row.querySelector('[data-testid=metadata-value]').value;
    if (Object.hasOwn(body, key)) throw new Error(`The field “${key}” appears twice.`);
    body[key] = { type, value: type === 'number' ? Number(raw) : raw };
  }
  return body;
}
