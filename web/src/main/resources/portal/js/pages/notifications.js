// Notifications: what happened to the user's work (a model reviewed) or awaits them (a model to review).
// Reading this page does not mark anything read; "Mark all read" does, so nothing is lost to a stray click.
import { get, post } from '../api.js';
import { h, replace, time } from '../dom.js';
import { busy, notify } from '../ui.js';

export async function render(ctx) {
  document.title = 'Notifications · Arca';
  const inbox = await get('/users/me/notifications?limit=100');
  if (!ctx.isCurrent()) return;
  const markAll = h('button', {
    type: 'button', class: 'secondary', 'data-testid': 'mark-all-read', disabled: inbox.unread === 0 ? '' : null,
  }, 'Mark all read');
  markAll.addEventListener('click', () => busy(markAll, async () => {
    const { marked } = await post('/users/me/notifications/read', {});
    notify(`${marked} notification${marked === 1 ? '' : 's'} marked read.`, 'success');
    ctx.navigate('#/notifications');
  }));
  const list = inbox.notifications.length === 0
    ? h('p', { class: 'muted', 'data-testid': 'no-notifications' }, 'No notifications yet.')
    : h('ul', { class: 'notification-list', 'data-testid': 'notification-list' },
      ...inbox.notifications.map((n) => h('li', {
        class: n.readAt ? 'read' : 'unread', 'data-testid': 'notification',
      },
      h('span', { class: 'notification-message' }, n.link ? h('a', { href: n.link }, n.message) : n.message),
      ' ',
      h('span', { class: 'muted small' }, time(n.createdAt)),
      n.readAt ? null : h('span', { class: 'badge badge-active' }, 'new'))));
  replace(ctx.main,
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Notifications'),
        h('p', { class: 'muted', 'data-testid': 'unread-count' },
          inbox.unread === 0 ? 'Nothing unread.' : `${inbox.unread} unread.`)),
      markAll),
    h('section', { class: 'card' }, list));
}
