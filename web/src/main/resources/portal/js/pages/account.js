// My account: who I am, my password, and my personal API tokens (for scripts, DICOM tools and SFTP).
import { get, post, put, del, seg } from '../api.js';
import { h, replace, time, field, formValues } from '../dom.js';
import { busy, errorBox, showError, notify, confirmDialog, copyButton } from '../ui.js';
import { sftpCard } from './sftp.js';

export async function render(ctx) {
  document.title = 'My account · Arca';
  const me = ctx.session.me;
  const tokensEl = h('div', { 'data-testid': 'tokens' });
  const secretEl = h('div', { 'aria-live': 'polite' });
  await loadTokens(tokensEl);
  const sftp = await sftpCard();
  if (!ctx.isCurrent()) return;
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'My account'),
      h('p', { class: 'muted' }, 'Your profile, password, API tokens and SFTP keys.'))),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card', 'aria-labelledby': 'profile-h' },
        h('h2', { id: 'profile-h' }, 'Profile'),
        h('dl', { class: 'facts', 'data-testid': 'profile' },
          h('dt', {}, 'Login'), h('dd', {}, me.login),
          h('dt', {}, 'Name'), h('dd', {}, me.displayName || '—'),
          h('dt', {}, 'Email'), h('dd', {}, me.email || '—'),
          h('dt', {}, 'Roles'), h('dd', {}, (me.roles ?? []).length ? me.roles.map((r) => String(r).toLowerCase()).join(', ') : 'none'))),
      passwordCard(me)),
    h('section', { class: 'card', 'aria-labelledby': 'tokens-h' },
      h('h2', { id: 'tokens-h' }, 'Personal API tokens'),
      h('p', { class: 'muted' }, 'A token acts as you from scripts and tools: send it as “Authorization: Bearer <token>”, or as the password with your login. Revoke any token you no longer use.'),
      tokenForm(tokensEl, secretEl),
      secretEl,
      tokensEl),
    sftp);
}

function passwordCard(me) {
  const error = errorBox('password-error');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'password-submit' }, 'Change password');
  const form = h('form', { class: 'card', 'aria-labelledby': 'password-h', 'data-testid': 'password-form' },
    h('h2', { id: 'password-h' }, 'Change password'),
    field('Current password', { name: 'currentPassword', id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true }),
    field('New password', { name: 'password', id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true }),
    field('Repeat the new password', { name: 'repeat', id: 'pw-repeat', type: 'password', autocomplete: 'new-password', required: true }),
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const { currentPassword, password, repeat } = formValues(form);
    if (password !== repeat) {
      showError(error, new Error('The two new passwords differ.'));
      return;
    }
    try {
      await busy(submit, async () => {
        await put(`/users/${seg(me.login)}/password`, { currentPassword, password });
      });
      form.reset();
      notify('Your password was changed.', 'success');
    } catch (e) {
      showError(error, e);
    }
  });
  return form;
}

function tokenForm(tokensEl, secretEl) {
  const error = errorBox('token-error');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'token-create' }, 'Create token');
  const form = h('form', { class: 'inline-form', 'data-testid': 'token-form' },
    field('Token name', { name: 'name', id: 'token-name', required: true, placeholder: 'e.g. nightly sync' }),
    field('Expires after (days)', { name: 'days', id: 'token-days', type: 'number', min: 1, max: 3650, value: '90', required: true }),
    submit, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const { name, days } = formValues(form);
    try {
      const created = await busy(submit, () => post('/tokens', { name, expiresInDays: Number(days) }));
      form.reset();
      showSecret(secretEl, created);
      await loadTokens(tokensEl);
    } catch (e) {
      showError(error, e);
    }
  });
  return form;
}

function showSecret(el, created) {
  const value = h('code', { class: 'secret', 'data-testid': 'token-secret' }, created.token);
  const copy = copyButton(created.token, value);
  replace(el, h('div', { class: 'secret-box', role: 'status' },
    h('p', {}, h('strong', {}, `Token “${created.name}” created.`), ' Copy it now: it is shown only this once.'),
    h('p', { class: 'secret-line' }, value, copy)));
}

async function loadTokens(el) {
  const { tokens } = await get('/tokens');
  if (tokens.length === 0) {
    replace(el, h('p', { class: 'empty', 'data-testid': 'tokens-empty' }, 'You have no API tokens.'));
    return;
  }
  replace(el, h('table', { class: 'listing' },
    h('caption', { class: 'visually-hidden' }, 'Your API tokens'),
    h('thead', {}, h('tr', {}, ['Name', 'Created', 'Expires', 'Last used', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, tokens.map((t) => tokenRow(t, el)))));
}

function tokenRow(token, el) {
  const expired = token.expiresAt && new Date(token.expiresAt) < new Date();
  const state = token.revokedAt ? 'Revoked' : expired ? 'Expired' : 'Active';
  const revoke = token.revokedAt ? null : h('button', { type: 'button', class: 'quiet small danger-text', 'data-testid': 'token-revoke', 'aria-label': `Revoke token ${token.name}` }, 'Revoke');
  revoke?.addEventListener('click', async () => {
    const done = await confirmDialog({
      title: `Revoke “${token.name}”?`,
      message: 'Scripts and tools using this token will stop working at once.',
      confirmLabel: 'Revoke token',
      action: () => del(`/tokens/${seg(token.id)}`),
    });
    if (done) {
      notify(`Token “${token.name}” revoked.`, 'success');
      await loadTokens(el).catch((e) => notify(e.message, 'error'));
    }
  });
  return h('tr', { 'data-testid': 'token-row', 'data-name': token.name, 'data-state': state.toLowerCase() },
    h('td', {}, token.name ?? '—'), h('td', {}, time(token.createdAt)), h('td', {}, time(token.expiresAt)),
    h('td', {}, token.lastUsedAt ? time(token.lastUsedAt) : h('span', { class: 'muted' }, 'never')),
    h('td', {}, h('span', { class: `badge badge-${state.toLowerCase()}` }, state)), h('td', {}, revoke));
}
