// The SFTP card of "My account": where to connect, how to check the server's host key, and the user's public keys.
import { get, post, del, seg } from '../api.js';
import { h, replace, time, field, formValues } from '../dom.js';
import { busy, errorBox, showError, notify, confirmDialog, copyButton } from '../ui.js';

export async function sftpCard() {
  const info = await get('/sftp');
  const keysEl = h('div', { 'data-testid': 'keys' });
  await loadKeys(keysEl);
  return h('section', { class: 'card', 'aria-labelledby': 'sftp-h', 'data-testid': 'sftp-card' },
    h('h2', { id: 'sftp-h' }, 'SFTP'),
    info.enabled ? connectFacts(info) : h('p', { class: 'muted', 'data-testid': 'sftp-off' }, 'SFTP is turned off on this server.'),
    h('p', { class: 'muted' }, 'Sign in with your password, an API token as the password, or a public key registered here. '
      + 'Your root holds collections/ (what you may read) and home/ (your private folder).'),
    keyForm(keysEl), keysEl);
}

function connectFacts(info) {
  const command = h('code', { class: 'secret', 'data-testid': 'sftp-command' }, info.command);
  const copy = copyButton(info.command, command);
  return h('div', {},
    h('dl', { class: 'facts', 'data-testid': 'sftp-facts' },
      h('dt', {}, 'Address'), h('dd', {}, info.host),
      h('dt', {}, 'Port'), h('dd', {}, String(info.port)),
      h('dt', {}, 'Host key'), h('dd', {}, h('code', { 'data-testid': 'sftp-fingerprint' }, info.hostKeyFingerprint))),
    h('p', { class: 'secret-line' }, command, copy),
    h('p', { class: 'muted' }, 'On first connection your client shows the host key fingerprint: it must match the one above.'));
}

function keyForm(keysEl) {
  const error = errorBox('key-error');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'key-add' }, 'Add key');
  const form = h('form', { 'data-testid': 'key-form' },
    field('Public key', { name: 'key', id: 'key-text', tag: 'textarea', rows: 2, required: true,
      placeholder: 'ssh-ed25519 AAAA… you@laptop' }, 'One line, such as the contents of ~/.ssh/id_ed25519.pub.'),
    field('Name', { name: 'name', id: 'key-name', placeholder: 'e.g. lab workstation' }, 'Optional; the key’s comment otherwise.'),
    submit, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const { key, name } = formValues(form);
    try {
      const added = await busy(submit, () => post('/users/me/keys', { key, name }));
      form.reset();
      notify(`Key “${added.name}” added.`, 'success');
      await loadKeys(keysEl);
    } catch (e) {
      showError(error, e);
    }
  });
  return form;
}

async function loadKeys(el) {
  const { keys } = await get('/users/me/keys');
  if (keys.length === 0) {
    replace(el, h('p', { class: 'empty', 'data-testid': 'keys-empty' }, 'You have no public keys.'));
    return;
  }
  replace(el, h('table', { class: 'listing' },
    h('caption', { class: 'visually-hidden' }, 'Your public keys'),
    h('thead', {}, h('tr', {}, ['Name', 'Type', 'Fingerprint', 'Added', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, keys.map((k) => keyRow(k, el)))));
}

function keyRow(key, el) {
  const remove = h('button', { type: 'button', class: 'quiet small danger-text', 'data-testid': 'key-remove', 'aria-label': `Remove key ${key.name}` }, 'Remove');
  remove.addEventListener('click', async () => {
    const done = await confirmDialog({
      title: `Remove “${key.name}”?`,
      message: 'SFTP clients using this key will no longer sign in.',
      confirmLabel: 'Remove key',
      action: () => del(`/users/me/keys/${seg(key.id)}`),
    });
    if (done) {
      notify(`Key “${key.name}” removed.`, 'success');
      await loadKeys(el).catch((e) => notify(e.message, 'error'));
    }
  });
  return h('tr', { 'data-testid': 'key-row', 'data-name': key.name },
    h('td', {}, key.name), h('td', {}, key.type), h('td', {}, h('code', {}, key.fingerprint)), h('td', {}, time(key.createdAt)),
    h('td', {}, remove));
}
