// Administration: accounts, pending registrations, groups and sites. Shown to administrators only; the
// server checks the role on every call regardless.
import { get, post, put, patch, del, seg } from '../api.js';
import { h, replace, time, field, formValues } from '../dom.js';
import { busy, errorBox, showError, notify, formDialog } from '../ui.js';

const TABS = [
  ['users', 'Users'],
  ['registrations', 'Pending registrations'],
  ['groups', 'Groups'],
  ['sites', 'Sites'],
];
const ROLES = ['admin', 'curator', 'reviewer'];

export async function render(ctx) {
  if (!ctx.session.isAdmin) {
    replace(ctx.main, h('h1', {}, 'Administration'), h('p', { role: 'alert' }, 'Only administrators can open this page.'));
    return;
  }
  const tab = TABS.some(([t]) => t === ctx.params.tab) ? ctx.params.tab : 'users';
  const label = TABS.find(([t]) => t === tab)[1];
  document.title = `${label} · Administration · Arca`;
  const panel = h('section', { class: 'admin-panel', 'aria-label': label, 'data-testid': `admin-${tab}` });
  const draw = { users, registrations, groups, sites }[tab];
  const reload = async () => {
    try {
      await draw(panel, reload);
    } catch (e) {
      notify(e.message, 'error');
    }
  };
  await draw(panel, reload);
  if (!ctx.isCurrent()) return;
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Administration'))),
    h('nav', { class: 'tabs', 'aria-label': 'Administration sections' },
      TABS.map(([t, text]) => h('a', { href: `#/admin/${t}`, 'aria-current': t === tab ? 'page' : null, 'data-testid': `tab-${t}` }, text))),
    panel);
}

function roleNames(user) {
  return (user.roles ?? []).map((r) => String(r).toLowerCase());
}

function statusOf(user) {
  return String(user.status ?? '').toLowerCase();
}

// ---- users ----

async function users(panel, reload) {
  const [{ users: list }, { sites: siteList }] = await Promise.all([get('/users'), get('/sites')]);
  const siteName = new Map(siteList.map((s) => [s.id, s.name]));
  replace(panel,
    createUserForm(siteList, reload),
    h('table', { class: 'listing', 'data-testid': 'user-table' },
      h('caption', { class: 'visually-hidden' }, 'All accounts'),
      h('thead', {}, h('tr', {}, ['Login', 'Name', 'Email', 'Site', 'Status', 'Roles', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((u) => userRow(u, siteName, reload)))));
}

function userRow(user, siteName, reload) {
  const status = statusOf(user);
  const actions = [];
  if (status === 'pending') {
    actions.push(h('button', { type: 'button', class: 'primary small', 'data-testid': 'user-approve', onclick: (e) => approve(e.currentTarget, user, reload) }, 'Approve'));
  } else {
    const next = status === 'disabled' ? 'active' : 'disabled';
    actions.push(h('button', {
      type: 'button', class: next === 'disabled' ? 'quiet small danger-text' : 'secondary small', 'data-testid': 'user-toggle',
      'aria-label': `${next === 'disabled' ? 'Disable' : 'Enable'} ${user.login}`,
      onclick: async (e) => {
        try {
          await busy(e.currentTarget, () => patch(`/users/${seg(user.login)}`, { status: next }));
          notify(`${user.login} is now ${next}.`, 'success');
          await reload();
        } catch (err) {
          notify(err.message, 'error');
        }
      },
    }, next === 'disabled' ? 'Disable' : 'Enable'));
  }
  actions.push(h('button', { type: 'button', class: 'quiet small', 'data-testid': 'user-roles', 'aria-label': `Roles of ${user.login}`, onclick: () => editRoles(user, reload) }, 'Roles'));
  return h('tr', { 'data-testid': 'user-row', 'data-login': user.login, 'data-status': status },
    h('td', {}, h('strong', {}, user.login)), h('td', {}, user.displayName ?? ''), h('td', {}, user.email ?? ''),
    h('td', {}, siteName.get(user.siteId) ?? '—'),
    h('td', {}, h('span', { class: `badge badge-${status}`, 'data-testid': 'user-status' }, status)),
    h('td', { 'data-testid': 'user-role-list' }, roleNames(user).join(', ') || h('span', { class: 'muted' }, 'none')),
    h('td', {}, h('div', { class: 'row-actions' }, actions)));
}

async function approve(button, user, reload) {
  try {
    await busy(button, () => post(`/users/${seg(user.login)}/approve`));
    notify(`${user.login} was approved and can now sign in.`, 'success');
    await reload();
  } catch (e) {
    notify(e.message, 'error');
  }
}

async function editRoles(user, reload) {
  const current = roleNames(user);
  const saved = await formDialog({
    title: `Roles of ${user.login}`,
    testid: 'roles-dialog',
    submitLabel: 'Save roles',
    content: h('fieldset', { class: 'checks' }, h('legend', {}, 'Global roles'),
      ROLES.map((role) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'role', value: role, checked: current.includes(role) }), ` ${role}`))),
    onSubmit: (form) => patch(`/users/${seg(user.login)}`, {
      roles: [...form.querySelectorAll('input[name=role]:checked')].map((c) => c.value),
    }),
  });
  if (saved) {
    notify(`Roles of ${user.login} saved.`, 'success');
    await reload();
  }
}

function createUserForm(siteList, reload) {
  const error = errorBox('create-user-error');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-user-submit' }, 'Create account');
  const form = h('form', { class: 'grid-form', 'data-testid': 'create-user-form' },
    field('Login', { name: 'login', id: 'new-user-login', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    field('Display name', { name: 'displayName', id: 'new-user-name' }),
    field('Email', { name: 'email', id: 'new-user-email', type: 'email', required: true }),
    field('Initial password', { name: 'password', id: 'new-user-password', type: 'password', autocomplete: 'new-password', required: true }),
    field('Site', {
      tag: 'select', name: 'siteId', id: 'new-user-site',
      options: [h('option', { value: '' }, 'No site'), ...siteList.map((s) => h('option', { value: s.id }, s.name))],
    }),
    h('fieldset', { class: 'checks' }, h('legend', {}, 'Roles'),
      ROLES.map((role) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'role', value: role }), ` ${role}`))),
    h('div', { class: 'form-end' }, error, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const values = formValues(form);
    const body = {
      login: values.login, password: values.password, email: values.email,
      displayName: values.displayName || undefined, siteId: values.siteId || undefined,
      roles: [...form.querySelectorAll('input[name=role]:checked')].map((c) => c.value),
    };
    try {
      const user = await busy(submit, () => post('/users', body));
      notify(`Account ${user.login} created.`, 'success');
      await reload();
    } catch (e) {
      showError(error, e);
    }
  });
  return h('details', { class: 'card create-box' }, h('summary', { 'data-testid': 'create-user-toggle' }, 'Create an account'), form);
}

// ---- registrations ----

async function registrations(panel, reload) {
  const [{ users: pending }, { sites: siteList }] = await Promise.all([get('/users?status=pending'), get('/sites')]);
  const siteName = new Map(siteList.map((s) => [s.id, s.name]));
  if (pending.length === 0) {
    replace(panel, h('p', { class: 'empty', 'data-testid': 'pending-empty' }, 'No registrations are waiting for approval.'));
    return;
  }
  replace(panel,
    h('p', { class: 'muted' }, 'These people registered with a site code. Approve an account to let it sign in.'),
    h('table', { class: 'listing', 'data-testid': 'pending-table' },
      h('caption', { class: 'visually-hidden' }, 'Pending registrations'),
      h('thead', {}, h('tr', {}, ['Login', 'Name', 'Email', 'Site', 'Registered', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, pending.map((u) => h('tr', { 'data-testid': 'pending-row', 'data-login': u.login },
        h('td', {}, h('strong', {}, u.login)), h('td', {}, u.displayName ?? ''), h('td', {}, u.email ?? ''),
        h('td', {}, siteName.get(u.siteId) ?? '—'), h('td', {}, time(u.createdAt)),
        h('td', {}, h('button', {
          type: 'button', class: 'primary small', 'data-testid': 'pending-approve', 'aria-label': `Approve ${u.login}`,
          onclick: (e) => approve(e.currentTarget, u, reload),
        }, 'Approve')))))));
}

// ---- groups ----

async function groups(panel, reload) {
  const { groups: list } = await get('/groups');
  const error = errorBox('create-group-error');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-group-submit' }, 'Create group');
  const form = h('form', { class: 'inline-form', 'data-testid': 'create-group-form' },
    field('New group name', { name: 'name', id: 'new-group-name', required: true }), submit, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    try {
      const group = await busy(submit, () => post('/groups', { name: formValues(form).name }));
      notify(`Group ${group.name} created.`, 'success');
      await reload();
    } catch (e) {
      showError(error, e);
    }
  });
  replace(panel, h('div', { class: 'card' }, form),
    list.length === 0
      ? h('p', { class: 'empty' }, 'No groups yet. Groups let you share folders with a team in one grant.')
      : h('div', { class: 'group-list' }, list.map((g) => groupCard(g, reload))));
}

function groupCard(group, reload) {
  const error = errorBox('member-error');
  const input = h('input', { type: 'text', name: 'login', required: true, 'aria-label': `Login to add to ${group.name}`, placeholder: 'login', 'data-testid': 'member-login', autocapitalize: 'none', spellcheck: 'false' });
  const add = h('button', { type: 'submit', class: 'secondary small', 'data-testid': 'member-add' }, 'Add member');
  const form = h('form', { class: 'member-form' }, input, add);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    try {
      await busy(add, () => put(`/groups/${seg(group.name)}/members/${seg(input.value.trim())}`));
      await reload();
    } catch (e) {
      showError(error, e);
    }
  });
  const members = group.memberLogins ?? [];
  return h('section', { class: 'card group-card', 'data-testid': 'group-card', 'data-name': group.name },
    h('h2', {}, group.name),
    members.length === 0 ? h('p', { class: 'muted' }, 'No members.') : h('ul', { class: 'members' },
      members.map((login) => h('li', { 'data-testid': 'member', 'data-login': login }, login, ' ',
        h('button', {
          type: 'button', class: 'quiet small danger-text', 'aria-label': `Remove ${login} from ${group.name}`, 'data-testid': 'member-remove',
          onclick: async (e) => {
            try {
              await busy(e.currentTarget, () => del(`/groups/${seg(group.name)}/members/${seg(login)}`));
              await reload();
            } catch (err) {
              showError(error, err);
            }
          },
        }, 'Remove')))),
    form, error);
}

// ---- sites ----

async function sites(panel, reload) {
  const { sites: list } = await get('/sites');
  const error = errorBox('create-site-error');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-site-submit' }, 'Create site');
  const form = h('form', { class: 'inline-form', 'data-testid': 'create-site-form' },
    field('Site name', { name: 'name', id: 'new-site-name', required: true }),
    field('Registration code', { name: 'registrationCode', id: 'new-site-code', autocomplete: 'off', spellcheck: 'false' }, 'Leave empty to generate one.'),
    submit, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, null);
    const { name, registrationCode } = formValues(form);
    try {
      const site = await busy(submit, () => post('/sites', { name, registrationCode: registrationCode || undefined }));
      notify(`Site ${site.name} created. Its registration code is ${site.registrationCode}.`, 'success');
      await reload();
    } catch (e) {
      showError(error, e);
    }
  });
  replace(panel, h('div', { class: 'card' }, form,
    h('p', { class: 'hint' }, 'People register with a site’s code; their account then waits under “Pending registrations”.')),
    list.length === 0 ? h('p', { class: 'empty' }, 'No sites yet.') : h('table', { class: 'listing', 'data-testid': 'site-table' },
      h('caption', { class: 'visually-hidden' }, 'Sites'),
      h('thead', {}, h('tr', {}, ['Site', 'Registration code', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((s) => h('tr', { 'data-testid': 'site-row', 'data-name': s.name },
        h('td', {}, s.name), h('td', {}, s.registrationCode ? h('code', { 'data-testid': 'site-code' }, s.registrationCode) : '—'),
        h('td', {}, time(s.createdAt)))))));
}
