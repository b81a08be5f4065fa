// The share dialog: a folder's own grants (editable) and those it inherits from above (read-only).
import { get, put, seg } from '../api.js';
import { h } from '../dom.js';
import { formDialog, notify } from '../ui.js';
import { levelLabel } from './common.js';

const TYPES = [
  ['user', 'User'],
  ['group', 'Group'],
  ['everyone', 'Everyone signed in'],
  ['public', 'Public (no sign-in)'],
];
const LEVELS = ['READ', 'WRITE', 'ADMIN'];

export async function openShareDialog(folder) {
  let acl;
  try {
    acl = await get(`/folders/${seg(folder.id)}/acl`);
  } catch (e) {
    notify(e.message, 'error');
    return;
  }
  const rows = h('tbody', { 'data-testid': 'acl-rows' });
  const empty = h('p', { class: 'muted', 'data-testid': 'acl-empty' }, 'No grants on this folder itself yet.');
  const sync = () => { empty.hidden = rows.children.length > 0; };
  for (const entry of acl.entries) rows.append(entryRow(entry, sync));
  const add = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'acl-add' }, '+ Add person or group');
  add.addEventListener('click', () => {
    const row = entryRow({ principal: 'user:', level: 'READ' }, sync);
    rows.append(row);
    sync();
    row.querySelector('input').focus();
  });
  sync();

  const content = [
    h('p', { class: 'muted' }, `Grants here apply to “${folder.name}” and everything inside it. A person’s access is the highest grant they have here or above.`),
    h('table', { class: 'acl-table' },
      h('caption', { class: 'visually-hidden' }, 'Grants on this folder'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Access'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
      rows),
    empty,
    h('p', {}, add),
    acl.inherited.length ? inheritedTable(acl.inherited) : null,
  ];

  const saved = await formDialog({
    title: `Share “${folder.name}”`,
    testid: 'share-dialog',
    submitLabel: 'Save sharing',
    wide: true,
    content,
    onSubmit: () => put(`/folders/${seg(folder.id)}/acl`, { entries: collect(rows) }),
  });
  if (saved) notify(`Sharing of “${folder.name}” saved.`, 'success');
}

function entryRow(entry, sync) {
  const [type, name] = splitPrincipal(entry.principal);
  const typeSelect = h('select', { 'aria-label': 'Kind of grantee', 'data-testid': 'acl-type' },
    TYPES.map(([value, label]) => h('option', { value, selected: value === type }, label)));
  const nameInput = h('input', {
    type: 'text', value: name, 'aria-label': 'Login or group name', placeholder: 'login or group name',
    'data-testid': 'acl-name', autocapitalize: 'none', spellcheck: 'false',
  });
  const levelSelect = h('select', { 'aria-label': 'Access level', 'data-testid': 'acl-level' },
    LEVELS.map((level) => h('option', { value: level, selected: level === entry.level }, `${levelLabel(level)} (${level})`)));
  const remove = h('button', { type: 'button', class: 'quiet small danger-text', 'data-testid': 'acl-remove' }, 'Remove');
  const row = h('tr', { 'data-testid': 'acl-row' }, h('td', {}, typeSelect), h('td', {}, nameInput), h('td', {}, levelSelect), h('td', {}, remove));
  const syncName = () => {
    const named = typeSelect.value === 'user' || typeSelect.value === 'group';
    nameInput.hidden = !named;
    nameInput.required = named;
  };
  typeSelect.addEventListener('change', syncName);
  syncName();
  remove.addEventListener('click', () => {
    row.remove();
    sync();
  });
  return row;
}

function collect(rows) {
  return [...rows.querySelectorAll('tr')].map((row) => {
    const type = row.querySelector('[data-testid=acl-type]').value;
    const name = row.querySelector('[data-testid=acl-name]').value.trim();
    const level = row.querySelector('[data-testid=acl-level]').value;
    return { principal: type === 'user' || type === 'group' ? `${type}:${name}` : type, level };
  });
}

function splitPrincipal(principal) {
  const colon = principal.indexOf(':');
  return colon < 0 ? [principal, ''] : [principal.slice(0, colon), principal.slice(colon + 1)];
}

function describe(principal) {
  const [type, name] = splitPrincipal(principal);
  if (type === 'everyone') return 'Everyone signed in';
  if (type === 'public') return 'Public (no sign-in)';
  return `${type === 'group' ? 'Group' : 'User'} ${name}`;
}

function inheritedTable(inherited) {
  return h('section', { class: 'inherited', 'data-testid': 'acl-inherited' },
    h('h3', {}, 'Inherited from folders above'),
    h('table', { class: 'acl-table readonly' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'Access'), h('th', { scope: 'col' }, 'Granted on'))),
      h('tbody', {}, inherited.map((e) => h('tr', { 'data-testid': 'acl-inherited-row' },
        h('td', {}, describe(e.principal)),
        h('td', {}, `${levelLabel(e.level)} (${e.level})`),
        h('td', {}, h('a', { href: `#/folders/${seg(e.folderId)}` }, e.folderName)))))),
    h('p', { class: 'hint' }, 'Change these on the folder that grants them.'));
}
