// One folder: where it sits, what it holds (a page at a time), and what the caller's access lets them do
// with it: upload, create, rename, delete, download, describe and share.
import { get, post, patch, del, seg } from '../api.js';
import { h, replace, icon, time, formatBytes, field, formValues } from '../dom.js';
import { notify, formDialog, confirmDialog } from '../ui.js';
import { uploadFile, tusThreshold } from '../uploads.js';
import { can, accessBadge } from './common.js';
import { openShareDialog } from './share.js';
import { openMetadataDialog } from './metadata.js';
import { openDicomPreview } from './dicom.js';
import { openPreview } from './preview.js';

const PAGE_SIZE = 50;

export async function render(ctx) {
  const id = ctx.params.id;
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const folder = await get(`/folders/${seg(id)}`);
  if (!ctx.isCurrent()) return;
  document.title = `${folder.name} · Arca`;
  const view = new FolderView(ctx, folder, page);
  await view.loadList();
  if (!ctx.isCurrent()) return;
  replace(ctx.main, view.el);
}

class FolderView {
  constructor(ctx, folder, page) {
    this.ctx = ctx;
    this.folder = folder;
    this.page = page;
    this.listEl = h('div', { class: 'listing-wrap', 'data-testid': 'listing' });
    this.el = h('div', { class: 'folder-page', 'data-testid': 'folder-page', 'data-folder-id': folder.id },
      breadcrumbs(folder),
      this.head(),
      can(folder.access, 'WRITE') ? this.uploadZone() : null,
      this.listEl);
  }

  head() {
    const f = this.folder;
    const buttons = [];
    if (can(f.access, 'WRITE')) {
      buttons.push(button('New folder', 'new-folder', () => this.createFolder(), 'primary'));
    }
    buttons.push(h('a', { class: 'button secondary', href: `/api/v1/folders/${seg(f.id)}/archive`, download: '', 'data-testid': 'download-zip' }, 'Download ZIP'));
    buttons.push(this.ohifLink());
    buttons.push(button(can(f.access, 'WRITE') ? 'Metadata' : 'View metadata', 'folder-metadata',
      () => openMetadataDialog('folders', f, can(f.access, 'WRITE'))));
    if (can(f.access, 'ADMIN')) buttons.push(button('Share', 'share', () => openShareDialog(f)));
    if (can(f.access, 'WRITE')) {
      buttons.push(button('Rename', 'rename-current', () => this.rename('folders', f, true)));
      buttons.push(button('Delete', 'delete-current', () => this.remove('folders', f, true), 'danger-quiet'));
    }
    return h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { 'data-testid': 'folder-title' }, f.name, ' ', accessBadge(f.access)),
        f.description ? h('p', { class: 'muted', 'data-testid': 'folder-description' }, f.description) : null),
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Folder actions' }, buttons));
  }

  /** "Open in OHIF", shown once DICOMweb finds a study in this folder's subtree: the viewer scoped to it. */
  ohifLink() {
    const id = seg(this.folder.id);
    const link = h('a', { class: 'button secondary', href: `/ohif/folders/${id}/`, target: '_blank', rel: 'noopener',
      'data-testid': 'open-ohif', hidden: true }, 'Open in OHIF');
    fetch(`/dicom-web/folders/${id}/studies?limit=1`, { headers: { Accept: 'application/dicom+json' }, credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : []))
      .then((studies) => { link.hidden = !(Array.isArray(studies) && studies.length > 0); })
      .catch(() => {});
    return link;
  }

  async loadList() {
    const offset = (this.page - 1) * PAGE_SIZE;
    const children = await get(`/folders/${seg(this.folder.id)}/children?limit=${PAGE_SIZE}&offset=${offset}`);
    replace(this.listEl, this.table(children), this.pager(children));
  }

  async reload() {
    try {
      await this.loadList();
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  table(children) {
    const rows = [
      ...children.folders.map((f) => this.folderRow(f)),
      ...children.items.map((i) => this.itemRow(i)),
    ];
    if (rows.length === 0) {
      return h('p', { class: 'empty', 'data-testid': 'folder-empty' },
        can(this.folder.access, 'WRITE') ? 'This folder is empty. Drop files above or create a folder.' : 'This folder is empty.');
    }
    return h('table', { class: 'listing', 'data-testid': 'children' },
      h('caption', { class: 'visually-hidden' }, `Contents of ${this.folder.name}`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'col-name' }, 'Name'),
        h('th', { scope: 'col', class: 'col-size' }, 'Size'),
        h('th', { scope: 'col', class: 'col-date' }, 'Modified'),
        h('th', { scope: 'col', class: 'col-actions' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, rows));
  }

  folderRow(f) {
    const actions = [
      h('a', { class: 'button quiet small', href: `/api/v1/folders/${seg(f.id)}/archive`, download: '', 'aria-label': `Download ${f.name} as ZIP`, 'data-testid': 'row-zip' }, 'ZIP'),
      button('Metadata', 'row-metadata', () => openMetadataDialog('folders', f, can(f.access, 'WRITE')), 'quiet small', `Metadata of ${f.name}`),
    ];
    if (can(f.access, 'ADMIN')) actions.push(button('Share', 'row-share', () => openShareDialog(f), 'quiet small', `Share ${f.name}`));
    if (can(f.access, 'WRITE')) {
      actions.push(button('Rename', 'row-rename', () => this.rename('folders', f), 'quiet small', `Rename ${f.name}`));
      actions.push(button('Delete', 'row-delete', () => this.remove('folders', f), 'quiet small danger-text', `Delete ${f.name}`));
    }
    return h('tr', { 'data-testid': 'row', 'data-kind': 'folder', 'data-name': f.name, 'data-id': f.id },
      h('td', { class: 'col-name' },
        h('a', { href: `#/folders/${seg(f.id)}`, class: 'name-link', 'data-testid': 'row-open' }, icon('folder'), h('span', {}, f.name))),
      h('td', { class: 'col-size muted' }, 'Folder'),
      h('td', { class: 'col-date' }, time(f.updatedAt ?? f.createdAt)),
      h('td', { class: 'col-actions' }, h('div', { class: 'row-actions' }, actions)));
  }

  itemRow(item) {
    const size = (item.files ?? []).reduce((sum, file) => sum + file.size, 0);
    const href = `/api/v1/items/${seg(item.id)}/content`;
    const actions = [
      h('a', { class: 'button quiet small', href, download: item.name, 'aria-label': `Download ${item.name}`, 'data-testid': 'row-download' }, 'Download'),
      button('Metadata', 'row-metadata', () => openMetadataDialog('items', item, can(item.access, 'WRITE')), 'quiet small', `Metadata of ${item.name}`),
    ];
    if (looksLikeDicom(item)) {
      actions.unshift(button('Preview', 'row-dicom', () => openDicomPreview(item), 'quiet small', `Preview DICOM ${item.name}`));
    } else {
      actions.unshift(button('Preview', 'row-preview', () => openPreview(item), 'quiet small', `Preview ${item.name}`));
    }
    if (can(item.access, 'WRITE')) {
      actions.push(button('Rename', 'row-rename', () => this.rename('items', item), 'quiet small', `Rename ${item.name}`));
      actions.push(button('Delete', 'row-delete', () => this.remove('items', item), 'quiet small danger-text', `Delete ${item.name}`));
    }
    return h('tr', { 'data-testid': 'row', 'data-kind': 'item', 'data-name': item.name, 'data-id': item.id },
      h('td', { class: 'col-name' },
        h('a', { href, class: 'name-link', download: item.name, 'data-testid': 'row-name' }, icon('file'), h('span', {}, item.name))),
      h('td', { class: 'col-size', 'data-testid': 'row-size' }, formatBytes(size)),
      h('td', { class: 'col-date' }, time(item.updatedAt ?? item.createdAt)),
      h('td', { class: 'col-actions' }, h('div', { class: 'row-actions' }, actions)));
  }

  pager(children) {
    if (children.total <= PAGE_SIZE && this.page === 1) {
      return h('p', { class: 'count muted', 'data-testid': 'count' }, countText(children.total));
    }
    const first = children.offset + 1;
    const last = children.offset + children.folders.length + children.items.length;
    const pages = Math.max(1, Math.ceil(children.total / PAGE_SIZE));
    const go = (p) => this.ctx.navigate(`#/folders/${seg(this.folder.id)}${p > 1 ? `?page=${p}` : ''}`);
    return h('nav', { class: 'pager', 'aria-label': 'Pages', 'data-testid': 'pager' },
      h('button', { type: 'button', class: 'secondary small', disabled: this.page <= 1, onclick: () => go(this.page - 1), 'data-testid': 'page-prev' }, '‹ Previous'),
      h('span', { 'data-testid': 'page-status' }, `${first}–${last} of ${children.total} · page ${this.page} of ${pages}`),
      h('button', { type: 'button', class: 'secondary small', disabled: this.page >= pages, onclick: () => go(this.page + 1), 'data-testid': 'page-next' }, 'Next ›'));
  }

  async createFolder() {
    const created = await formDialog({
      title: `New folder in ${this.folder.name}`,
      testid: 'folder-dialog',
      submitLabel: 'Create folder',
      content: [
        field('Name', { name: 'name', id: 'folder-name', required: true, maxlength: 255 }),
        field('Description', { name: 'description', id: 'folder-description', tag: 'textarea', rows: 2 }, 'Optional.'),
      ],
      onSubmit: (form) => {
        const { name, description } = formValues(form);
        return post('/folders', { parentId: this.folder.id, name, description: description || undefined });
      },
    });
    if (created) {
      notify(`Folder “${created.name}” created.`, 'success');
      await this.reload();
    }
  }

  async rename(kind, node, current = false) {
    const renamed = await formDialog({
      title: `Rename “${node.name}”`,
      testid: 'rename-dialog',
      submitLabel: 'Rename',
      content: field('New name', { name: 'name', id: 'rename-name', required: true, maxlength: 255, value: node.name }),
      onSubmit: (form) => patch(`/${kind}/${seg(node.id)}`, { name: formValues(form).name }),
    });
    if (!renamed) return;
    notify(`Renamed to “${renamed.name}”.`, 'success');
    if (current) this.ctx.navigate(location.hash);
    else await this.reload();
  }

  async remove(kind, node, current = false) {
    const isFolder = kind === 'folders';
    const done = await confirmDialog({
      title: isFolder ? `Delete folder “${node.name}”?` : `Delete “${node.name}”?`,
      message: isFolder
        ? `The folder “${node.name}” and everything inside it (subfolders and files) will be deleted. This cannot be undone.`
        : `The file “${node.name}” will be deleted. This cannot be undone.`,
      confirmLabel: isFolder ? 'Delete folder and contents' : 'Delete file',
      action: () => del(isFolder ? `/folders/${seg(node.id)}?recursive=true` : `/items/${seg(node.id)}`),
    });
    if (!done) return;
    notify(`“${node.name}” was deleted.`, 'success');
    if (current) {
      const parent = this.folder.ancestors?.at(-1);
      this.ctx.navigate(parent ? `#/folders/${seg(parent.id)}` : '#/');
    } else {
      await this.reload();
    }
  }

  uploadZone() {
    const input = h('input', { type: 'file', multiple: true, id: 'file-input', class: 'visually-hidden', 'data-testid': 'file-input' });
    const list = h('ul', { class: 'upload-list', 'data-testid': 'upload-list', 'aria-label': 'Uploads' });
    const zone = h('div', { class: 'dropzone', 'data-testid': 'dropzone' },
      icon('upload'),
      h('p', {}, h('strong', {}, 'Drop files here'), ' or ',
        h('label', { for: 'file-input', class: 'button secondary small', tabindex: '0', 'data-testid': 'choose-files' }, 'Choose files'),
        input),
      h('p', { class: 'hint' }, `Files over ${formatBytes(tusThreshold())} are sent in resumable parts: if the connection drops, choose the same file again to continue.`));
    const label = zone.querySelector('label');
    label.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        input.click();
      }
    });
    input.addEventListener('change', () => {
      this.enqueue([...input.files], list);
      input.value = '';
    });
    zone.addEventListener('dragenter', (e) => { e.preventDefault(); zone.classList.add('dragging'); });
    zone.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; zone.classList.add('dragging'); });
    zone.addEventListener('dragleave', (e) => { if (!zone.contains(e.relatedTarget)) zone.classList.remove('dragging'); });
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
      const files = [];
      let skipped = 0;
      for (const entry of e.dataTransfer.items ?? []) {
        if (entry.kind !== 'file') continue;
        if (entry.webkitGetAsEntry?.()?.isDirectory) { skipped++; continue; }
        const file = entry.getAsFile();
        if (file) files.push(file);
      }
      if (files.length === 0 && !e.dataTransfer.items) files.push(...e.dataTransfer.files);
      if (skipped) notify('Folders cannot be dropped here; create the folder, then drop its files into it.', 'error');
      this.enqueue(files, list);
    });
    return h('section', { class: 'upload-section', 'aria-label': 'Upload files' }, zone, list);
  }

  enqueue(files, list) {
    for (const file of files) {
      const row = new UploadRow(file);
      list.append(row.el);
      this.queue = (this.queue ?? Promise.resolve()).then(() => this.send(file, row));
    }
  }

  async send(file, row) {
    row.start();
    const upload = uploadFile(this.folder.id, file, (sent, total, note) => row.progress(sent, total, note));
    row.onCancel(upload.cancel);
    try {
      const result = await upload.promise;
      row.done(result.resumable);
      await this.reload();
    } catch (e) {
      row.failed(e);
    }
  }
}

/** One line of the upload list: name, a progress bar, and what is happening. */
class UploadRow {
  constructor(file) {
    this.file = file;
    this.bar = h('progress', { max: file.size || 1, value: 0, 'aria-label': `Upload progress of ${file.name}` });
    this.status = h('span', { class: 'upload-status', 'data-testid': 'upload-status' }, 'Waiting');
    this.cancel = h('button', { type: 'button', class: 'quiet small', 'aria-label': `Cancel upload of ${file.name}`, 'data-testid': 'upload-cancel' }, 'Cancel');
    this.el = h('li', { class: 'upload-row', 'data-testid': 'upload-row', 'data-name': file.name, 'data-state': 'waiting' },
      h('span', { class: 'upload-name' }, icon('file'), h('span', {}, file.name)),
      h('span', { class: 'upload-size muted' }, formatBytes(file.size)),
      this.bar, this.status, this.cancel);
  }

  onCancel(cancel) {
    this.cancel.onclick = cancel;
  }

  start() {
    this.el.dataset.state = 'uploading';
    this.status.textContent = 'Starting…';
  }

  progress(sent, total, note) {
    if (note === 'Resuming') this.el.dataset.resumedFrom = String(sent);
    this.bar.value = sent;
    const percent = total ? Math.floor((sent / total) * 100) : 100;
    this.status.textContent = note ? `${note} · ${percent}%` : `${percent}%`;
  }

  done(resumable) {
    this.el.dataset.state = 'done';
    this.el.dataset.mode = resumable ? 'resumable' : 'simple';
    this.bar.value = this.bar.max;
    this.status.textContent = resumable ? 'Uploaded (resumable)' : 'Uploaded';
    this.cancel.remove();
  }

  failed(error) {
    this.el.dataset.state = error.code === 'cancelled' ? 'cancelled' : 'error';
    this.status.textContent = error.message;
    this.status.classList.add(error.code === 'cancelled' ? 'muted' : 'error-text');
    this.cancel.remove();
  }
}

function breadcrumbs(folder) {
  const crumbs = [h('li', {}, h('a', { href: '#/' }, 'Collections'))];
  for (const a of folder.ancestors ?? []) {
    crumbs.push(h('li', {}, h('a', { href: `#/folders/${seg(a.id)}`, 'data-testid': 'crumb' }, a.name)));
  }
  crumbs.push(h('li', {}, h('span', { 'aria-current': 'page', 'data-testid': 'crumb-current' }, folder.name)));
  return h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb', 'data-testid': 'breadcrumbs' }, h('ol', {}, crumbs));
}

function button(label, testid, onclick, cls = 'secondary', ariaLabel = null) {
  return h('button', { type: 'button', class: cls, 'data-testid': testid, onclick, 'aria-label': ariaLabel }, label);
}

/** DICOM by its media type or name; the preview itself asks the server, which knows for sure. */
function looksLikeDicom(item) {
  const file = (item.files ?? [])[0];
  return (file && file.mediaType === 'application/dicom') || /\.dcm$/i.test(item.name);
}

function countText(total) {
  return total === 1 ? '1 entry' : `${total} entries`;
}

// A file dropped outside the drop zone must not replace the portal with the file's contents.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => e.preventDefault());
