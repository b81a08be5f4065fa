// Home: the collections the user may read, the folders shared with them elsewhere, and a new collection.
import { get, post } from '../api.js';
import { h, replace, icon, time, field, formValues } from '../dom.js';
import { formDialog } from '../ui.js';
import { accessBadge } from './common.js';

export async function render(ctx) {
  document.title = 'Collections · Arca';
  const [collections, shared] = await Promise.all([get('/collections'), get('/shared')]);
  if (!ctx.isCurrent()) return;
  const newCollection = h('button', { type: 'button', class: 'primary', 'data-testid': 'new-collection' }, 'New collection');
  newCollection.addEventListener('click', () => createCollection(ctx));
  replace(ctx.main,
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', {}, 'Collections'),
        h('p', { class: 'muted' }, 'Projects, trials and sites you can open.')),
      h('div', { class: 'toolbar' }, newCollection)),
    list(collections.collections, 'collection-list', 'collection',
      'You cannot open any collection yet. Create one, or ask a colleague to share a folder with you.'),
    h('h2', { class: 'section-title' }, 'Shared with me'),
    list(shared.folders, 'shared-list', 'folder', 'Nothing has been shared with you outside your collections.'));
}

function list(folders, testid, kind, emptyText) {
  if (folders.length === 0) return h('p', { class: 'empty', 'data-testid': `${testid}-empty` }, emptyText);
  return h('ul', { class: 'card-list', 'data-testid': testid },
    folders.map((f) => h('li', { class: 'card folder-card', 'data-testid': `${kind}-card`, 'data-id': f.id },
      h('a', { href: `#/folders/${encodeURIComponent(f.id)}`, class: 'card-link', 'data-testid': `${kind}-link` },
        icon(kind), h('span', { class: 'card-title' }, f.name)),
      f.description ? h('p', { class: 'card-desc' }, f.description) : null,
      h('p', { class: 'card-meta' }, accessBadge(f.access), ' · updated ', time(f.updatedAt ?? f.createdAt)))));
}

async function createCollection(ctx) {
  const created = await formDialog({
    title: 'New collection',
    testid: 'collection-dialog',
    submitLabel: 'Create collection',
    content: [
      field('Name', { name: 'name', id: 'collection-name', required: true, maxlength: 255 }),
      field('Description', { name: 'description', id: 'collection-description', tag: 'textarea', rows: 3 }, 'Optional. What the collection holds, for whom.'),
    ],
    onSubmit: (form) => {
      const { name, description } = formValues(form);
      return post('/collections', { name, description: description || undefined });
    },
  });
  if (created) ctx.navigate(`#/folders/${encodeURIComponent(created.id)}`);
}
