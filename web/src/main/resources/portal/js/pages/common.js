// Small pieces several pages share.
import { h } from '../dom.js';

const LEVELS = { READ: 1, WRITE: 2, ADMIN: 3 };
const LABELS = { READ: 'Can view', WRITE: 'Can edit', ADMIN: 'Can manage' };

/** Whether the caller's access on a node reaches a level: can(folder.access, 'WRITE'). */
export function can(access, level) {
  return (LEVELS[access] ?? 0) >= LEVELS[level];
}

export function accessBadge(access) {
  if (!access || !LABELS[access]) return null;
  return h('span', { class: `badge badge-${access.toLowerCase()}`, 'data-testid': 'access-badge', title: `Your access: ${access}` }, LABELS[access]);
}

export function levelLabel(level) {
  return LABELS[level] ?? level;
}
