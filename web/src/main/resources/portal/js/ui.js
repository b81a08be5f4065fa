// Shared pieces of the interface: notices, modal dialogs, inline errors and busy buttons.
import { h, replace } from './dom.js';

/** Shows a short message at the top of the page. Errors stay until dismissed; other notices fade. */
export function notify(message, kind = 'info') {
  const region = document.getElementById('notices');
  const close = h('button', { type: 'button', class: 'notice-close', 'aria-label': 'Dismiss' }, '×');
  const note = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': `notice-${kind}` },
    h('span', {}, message), close);
  close.addEventListener('click', () => note.remove());
  region.append(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 6000);
  return note;
}

/** Removes every notice: what one person did must not show to the next one signing in here. */
// A "Copy" button for a secret or command shown in `valueEl`; where the clipboard is not allowed it selects the text.
export function copyButton(text, valueEl) {
  const copy = h('button', { type: 'button', class: 'secondary small' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = 'Copied';
    } catch {
      getSelection().selectAllChildren(valueEl);
    }
  });
  return copy;
}

export function clearNotices() {
  document.getElementById('notices').replaceChildren();
}

/** Puts an error sentence in an inline error element (role=alert), or clears it. */
export function showError(el, error) {
  replace(el, error ? (error.message ?? String(error)) : '');
  el.hidden = !error;
}

export function errorBox(testid = 'form-error') {
  return h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': testid });
}

/** Disables a button while the async work runs, so a double click does not send twice. */
export async function busy(button, work) {
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = wasDisabled;
    button.removeAttribute('aria-busy');
  }
}

/**
 * A modal dialog holding a form. onSubmit(form) runs on submit; if it throws, its message shows inside the
 * dialog and the dialog stays open. Resolves with what onSubmit returned, or null when cancelled.
 */
export function formDialog({ title, testid, content, submitLabel = 'Save', danger = false, onSubmit, wide = false }) {
  return new Promise((resolve) => {
    const error = errorBox('dialog-error');
    const submit = h('button', { type: 'submit', class: danger ? 'danger' : 'primary', 'data-testid': 'dialog-submit' }, submitLabel);
    const cancel = h('button', { type: 'button', class: 'secondary', 'data-testid': 'dialog-cancel' }, 'Cancel');
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const form = h('form', { class: 'dialog-form', novalidate: false },
      h('h2', { id: titleId }, title),
      h('div', { class: 'dialog-body' }, content),
      error,
      h('div', { class: 'dialog-actions' }, cancel, submit));
    const dialog = h('dialog', { class: wide ? 'wide' : null, 'aria-labelledby': titleId, 'data-testid': testid }, form);
    let result = null;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showError(error, null);
      try {
        result = await busy(submit, () => onSubmit(form));
        dialog.close();
      } catch (e) {
        showError(error, e);
      }
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    (first ?? submit).focus();
  });
}

/** Asks a yes/no question; resolves true only when confirmed and the action succeeded. */
export async function confirmDialog({ title, message, confirmLabel, testid = 'confirm-dialog', action }) {
  const done = await formDialog({
    title, testid, submitLabel: confirmLabel, danger: true,
    content: h('p', {}, message),
    onSubmit: async () => {
      await action();
      return true;
    },
  });
  return done === true;
}
