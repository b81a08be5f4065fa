// Search over everything the caller may read: a query box, facets to narrow by type, modality, collection
// and year, and hits with their path and a highlighted snippet. The query lives in the hash, so results
// can be bookmarked and the back button works.
import { get, seg } from '../api.js';
import { h, replace, formatBytes } from '../dom.js';
import { openPreview } from './preview.js';

const PAGE_SIZE = 20;
const FACETS = [['type', 'Type'], ['modality', 'Modality'], ['collection', 'Collection'], ['year', 'Year']];
// What a hit is: a folder or file (the default), or a DICOM study or series made of the matching instances.
const GROUPS = [['', 'Files'], ['study', 'Studies'], ['series', 'Series']];

export async function render(ctx) {
  const q = ctx.query.get('q') ?? '';
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const params = new URLSearchParams({ q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const filters = {};
  const group = GROUPS.some(([g]) => g && g === ctx.query.get('group')) ? ctx.query.get('group') : '';
  if (group) {
    filters.group = group;
    params.set('group', group);
  }
  for (const [name] of FACETS) {
    const value = ctx.query.get(name);
    if (value) {
      filters[name] = value;
      if (name === 'year') {
        params.set('from', value);
        params.set('to', value);
      } else {
        params.set(name, value);
      }
    }
  }
  const result = await get(`/search?${params}`);
  if (!ctx.isCurrent()) return;
  document.title = q ? `${q} · Search · Arca` : 'Search · Arca';
  const link = (changes) => {
    const next = new URLSearchParams({ q, ...filters, ...changes });
    [...next.keys()].forEach((k) => { if (!next.get(k)) next.delete(k); });
    return `#/search?${next}`;
  };
  const form = h('form', { class: 'search-form', role: 'search' },
    h('label', { for: 'search-q', class: 'visually-hidden' }, 'Search'),
    h('input', { id: 'search-q', name: 'q', type: 'search', value: q, 'data-testid': 'search-input',
      placeholder: 'Words, "phrases", name:report, modality:CT, meta.site:berlin' }),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'search-submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(link({ q: form.elements.q.value.trim(), page: '' }));
  });
  const facets = h('aside', { class: 'facets', 'aria-label': 'Narrow the results' }, FACETS.map(([name, label]) => {
    const counts = result.facets?.[name] ?? [];
    if (!counts.length) return null;
    return h('section', { 'data-testid': `facet-${name}` }, h('h2', {}, label), h('ul', {}, counts.map((c) => {
      const active = filters[name] === c.value;
      return h('li', {}, h('a', {
        href: link({ [name]: active ? '' : c.value, page: '' }), 'aria-current': active ? 'true' : null, 'data-testid': 'facet-value',
      }, `${c.label} (${c.count})`));
    })));
  }));
  const show = h('nav', { class: 'search-groups', 'aria-label': 'Show', 'data-testid': 'search-groups' }, 'Show: ',
    GROUPS.map(([g, label]) => h('a', { href: link({ group: g, page: '' }), 'aria-current': g === group ? 'true' : null,
      'data-testid': `group-${g || 'files'}` }, label)));
  const hits = h('ol', { class: 'hits', 'data-testid': 'hits' }, result.hits.map((hit) => (group ? groupRow(hit) : hitRow(hit))));
  const pages = Math.ceil(result.total / PAGE_SIZE);
  replace(ctx.main,
    h('h1', {}, 'Search'),
    form,
    show,
    h('p', { class: 'muted', 'data-testid': 'search-total', 'aria-live': 'polite' },
      `${result.total} ${countNoun(group, result.total)}`, result.incomplete ? ' (the index is being rebuilt)' : ''),
    h('div', { class: 'search-layout' }, facets, h('div', {}, hits,
      pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Result pages' },
        page > 1 ? h('a', { href: link({ page: page - 1 }), 'data-testid': 'search-prev' }, 'Previous') : null,
        ` Page ${page} of ${pages} `,
        page < pages ? h('a', { href: link({ page: page + 1 }), 'data-testid': 'search-next' }, 'Next') : null) : null)));
}

function hitRow(hit) {
  const folderHref = `#/folders/${seg(hit.kind === 'folder' ? hit.id : hit.folderId)}`;
  const title = hit.kind === 'folder'
    ? h('a', { href: folderHref, 'data-testid': 'hit-name' }, hit.name)
    : h('button', { type: 'button', class: 'link', 'data-testid': 'hit-name', onclick: () => openPreview(hit) }, hit.name);
  return h('li', { class: 'hit', 'data-testid': 'hit', 'data-kind': hit.type },
    h('div', {}, title, ' ', h('span', { class: 'muted' }, hit.type, hit.kind === 'item' ? `, ${formatBytes(hit.size)}` : '')),
    h('div', {}, h('a', { href: folderHref, class: 'muted', 'data-testid': 'hit-path' }, hit.path)),
    hit.snippet ? h('p', { class: 'snippet', 'data-testid': 'hit-snippet' }, snippet(hit.snippet)) : null);
}

function countNoun(group, n) {
  if (group === 'study') return n === 1 ? 'study' : 'studies';
  if (group === 'series') return 'series';
  return n === 1 ? 'result' : 'results';
}

/** A study or series: opened in the viewer, with how many of its instances matched and where the best one lies. */
function groupRow(hit) {
  const first = (name) => (hit.attributes?.[name] ?? [])[0] ?? '';
  const study = hit.kind === 'study' ? hit.id : first('studyuid');
  const details = [first('modality'), first('patientid') && `patient ${first('patientid')}`,
    `${hit.matches} matching ${hit.matches === 1 ? 'instance' : 'instances'}`].filter(Boolean).join(', ');
  return h('li', { class: 'hit', 'data-testid': 'hit', 'data-kind': hit.kind },
    h('div', {}, h('a', { href: `/ohif/viewer?StudyInstanceUIDs=${encodeURIComponent(study)}`, target: '_blank', rel: 'noopener',
      'data-testid': 'hit-name' }, hit.name), ' ', h('span', { class: 'muted', 'data-testid': 'hit-details' }, details)),
    h('div', {}, h('a', { href: `#/folders/${seg(hit.folderId)}`, class: 'muted', 'data-testid': 'hit-path' }, hit.path)),
    hit.snippet ? h('p', { class: 'snippet', 'data-testid': 'hit-snippet' }, snippet(hit.snippet)) : null);
}

/** The server escapes the text and marks matches with <mark>; rebuild exactly that as nodes. */
function snippet(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  const out = [];
  doc.body.firstChild.childNodes.forEach((node) => {
    out.push(node.nodeName === 'MARK' ? h('mark', {}, node.textContent) : node.textContent);
  });
  return out;
}
