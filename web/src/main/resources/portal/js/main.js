// The portal's shell: who is signed in, the top bar, and hash routes (#/folders/<id>) so the server needs
// no fallback route. Each page module exports render(ctx) and draws into <main>.
import { get, post, whenSessionLost } from './api.js';
import { h, replace } from './dom.js';
import { notify, clearNotices } from './ui.js';
import * as signin from './pages/signin.js';
import * as home from './pages/home.js';
import * as folder from './pages/folder.js';
import * as account from './pages/account.js';
import * as admin from './pages/admin.js';
import * as models from './pages/models.js';
import * as search from './pages/search.js';
import * as notifications from './pages/notifications.js';

// A hint, not a credential (the session cookie is HttpOnly): lets the first load skip asking /users/me when
// nobody signed in from this browser.
const SIGNED_IN_HINT = 'arca.signedIn';

const session = {
  me: null,
  get isAdmin() {
    return (this.me?.roles ?? []).some((r) => String(r).toLowerCase() === 'admin');
  },
};

const ROUTES = [
  { pattern: /^\/?$/, page: home, auth: true },
  { pattern: /^\/signin$/, page: signin, auth: false, view: 'signin' },
  { pattern: /^\/register$/, page: signin, auth: false, view: 'register' },
  { pattern: /^\/folders\/([^/]+)$/, page: folder, auth: true, names: ['id'] },
  { pattern: /^\/search$/, page: search, auth: true },
  { pattern: /^\/account$/, page: account, auth: true },
  { pattern: /^\/admin(?:\/([a-z]+))?$/, page: admin, auth: true, names: ['tab'] },
  { pattern: /^\/ai$/, page: models, auth: true },
  { pattern: /^\/notifications$/, page: notifications, auth: true },
];

let renderSeq = 0;
let afterSignIn = null;

function parseHash() {
  const raw = decodeURI(location.hash.replace(/^#/, '')) || '/';
  const [path, queryText] = raw.split('?', 2);
  return { path, query: new URLSearchParams(queryText ?? '') };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function route() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const main = document.getElementById('main');
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!match) {
    renderTopBar();
    replace(main, h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, 'This address does not lead anywhere. ', h('a', { href: '#/' }, 'Go to the home page.')));
    return;
  }
  const { r, m } = match;
  if (r.auth && !session.me) {
    afterSignIn = location.hash && location.hash !== '#/signin' ? location.hash : null;
    navigate('#/signin');
    return;
  }
  if (!r.auth && session.me) {
    navigate('#/');
    return;
  }
  const params = {};
  (r.names ?? []).forEach((name, i) => { params[name] = m[i + 1]; });
  renderTopBar();
  main.setAttribute('aria-busy', 'true');
  const ctx = {
    main, params, query, session, navigate, view: r.view,
    isCurrent: () => seq === renderSeq,
    signedIn,
  };
  try {
    await r.page.render(ctx);
  } catch (e) {
    if (seq !== renderSeq) return;
    replace(main, h('h1', { tabindex: '-1' }, e.status === 404 ? 'Not found' : 'Something went wrong'),
      h('p', { class: 'form-error', role: 'alert', 'data-testid': 'page-error' }, e.message ?? String(e)),
      h('p', {}, h('a', { href: '#/' }, 'Back to the home page')));
  } finally {
    if (seq === renderSeq) {
      main.removeAttribute('aria-busy');
      const heading = main.querySelector('h1');
      if (heading && document.activeElement === document.body) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
      }
    }
  }
}

/** Called by the sign-in page once the server accepted the password. */
function signedIn(user) {
  session.me = user;
  localStorage.setItem(SIGNED_IN_HINT, '1');
  clearNotices();
  const target = afterSignIn ?? '#/';
  afterSignIn = null;
  navigate(target);
}

async function signOut() {
  try {
    await post('/auth/logout');
  } catch (e) {
    notify(e.message, 'error');
  }
  session.me = null;
  localStorage.removeItem(SIGNED_IN_HINT);
  clearNotices();
  navigate('#/signin');
}

function renderTopBar() {
  const nav = document.getElementById('topnav');
  const user = document.getElementById('topuser');
  const { path } = parseHash();
  const link = (href, label, testid, active) => h('a', {
    href, 'data-testid': testid, 'aria-current': active ? 'page' : null,
  }, label);
  if (!session.me) {
    replace(nav);
    replace(user);
    return;
  }
  replace(nav,
    link('#/', 'Collections', 'nav-home', path === '/' || path.startsWith('/folders')),
    link('#/ai', 'AI models', 'nav-ai', path === '/ai'),
    link('#/account', 'My account', 'nav-account', path === '/account'),
    notificationsLink(path === '/notifications'),
    session.isAdmin ? link('#/admin', 'Administration', 'nav-admin', path.startsWith('/admin')) : null);
  const box = h('form', { class: 'topsearch', role: 'search' },
    h('label', { for: 'top-q', class: 'visually-hidden' }, 'Search everything'),
    h('input', { id: 'top-q', name: 'q', type: 'search', placeholder: 'Search', 'data-testid': 'top-search' }));
  box.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(`#/search?${new URLSearchParams({ q: box.elements.q.value.trim() })}`);
  });
  replace(user,
    box,
    h('span', { class: 'whoami', 'data-testid': 'whoami' }, session.me.displayName || session.me.login),
    h('button', { type: 'button', class: 'secondary small', 'data-testid': 'sign-out', onclick: signOut }, 'Sign out'));
}

/** The nav link to #/notifications, with the unread count filled in when the server answers. */
function notificationsLink(active) {
  const count = h('span', { class: 'badge nav-count', 'data-testid': 'unread-badge', hidden: '' });
  const a = h('a', {
    href: '#/notifications', 'data-testid': 'nav-notifications', 'aria-current': active ? 'page' : null,
  }, 'Notifications ', count);
  get('/users/me/notifications?unread=true&limit=1').then((inbox) => {
    if (inbox.unread > 0) {
      count.textContent = String(inbox.unread);
      count.setAttribute('aria-label', `${inbox.unread} unread`);
      count.removeAttribute('hidden');
    }
  }).catch(() => { /* the badge is a hint; the page itself reports errors */ });
  return a;
}

async function boot() {
  whenSessionLost(() => {
    if (!session.me) return;
    session.me = null;
    localStorage.removeItem(SIGNED_IN_HINT);
    notify('Your session has ended. Please sign in again.', 'error');
    navigate('#/signin');
  });
  if (localStorage.getItem(SIGNED_IN_HINT)) {
    try {
      session.me = await get('/users/me');
    } catch {
      session.me = null;
      localStorage.removeItem(SIGNED_IN_HINT);
    }
  }
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  window.addEventListener('hashchange', route);
  document.documentElement.dataset.ready = 'true';
  route();
}

boot();
