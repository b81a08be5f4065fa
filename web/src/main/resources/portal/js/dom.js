// Small DOM helpers. Everything a user or the server typed reaches the page as text nodes or attribute
// values set through the DOM, never as HTML, so names like "<script>" stay names.

/**
 * Builds an element: h('button', {class: 'primary', onclick: fn, 'data-testid': 'save'}, 'Save').
 * Attribute values: functions for on* become listeners, booleans toggle the attribute, null/undefined are
 * skipped. Children: strings become text nodes; null, false and undefined are skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key === 'value' && el instanceof HTMLInputElement) {
      el.setAttribute('value', value); // also the default, so form.reset() returns to it
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A decorative icon drawn from fixed path data (never from user input). */
export function icon(name) {
  const paths = {
    folder: 'M3 6.5A1.5 1.5 0 0 1 4.5 5h4.1l1.8 2h9.1A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
    file: 'M6.5 3h7.2L18 7.3v12.2a1.5 1.5 0 0 1-1.5 1.5h-10A1.5 1.5 0 0 1 5 19.5v-15A1.5 1.5 0 0 1 6.5 3zM13.5 3v4.5H18',
    collection: 'M4 5.5A1.5 1.5 0 0 1 5.5 4h13A1.5 1.5 0 0 1 20 5.5v3H4zM4.5 10h15v8.5a1.5 1.5 0 0 1-1.5 1.5H6a1.5 1.5 0 0 1-1.5-1.5zM10 13h4',
    upload: 'M12 16V4m0 0L7.5 8.5M12 4l4.5 4.5M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15',
  };
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', paths[name]);
  svg.append(path);
  return svg;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> "1.5 KB" (powers of 1024, as file managers show). */
export function formatBytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A <time> element in the reader's local time, with the exact UTC instant as its datetime. */
export function time(iso, dateOnly = false) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toISOString() }, (dateOnly ? DATE : DATE_TIME).format(date));
}

/** A form's named fields as an object of trimmed strings (passwords untrimmed). */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value !== 'string') continue;
    const field = form.elements.namedItem(key);
    values[key] = field && field.type === 'password' ? value : value.trim();
  }
  return values;
}

/** A labelled form field: label above, input below, optional hint tied by aria-describedby. */
let fieldSeq = 0;
export function field(label, inputAttrs, hint) {
  const id = inputAttrs.id ?? `f${++fieldSeq}`;
  const hintId = hint ? `${id}-hint` : null;
  const input = inputAttrs.tag === 'select'
    ? h('select', { ...withoutTag(inputAttrs), id, 'aria-describedby': hintId }, inputAttrs.options)
    : h(inputAttrs.tag ?? 'input', { ...withoutTag(inputAttrs), id, 'aria-describedby': hintId });
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

function withoutTag(attrs) {
  const { tag, options, ...rest } = attrs;
  return rest;
}
