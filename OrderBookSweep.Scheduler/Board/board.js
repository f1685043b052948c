// The sweep board. Every string that comes from an exchange or from Redis (symbols, error
// messages, worker ids) reaches the page through textContent or a form value, never as markup:
// el() below is the only way this file builds elements, and it has no HTML path.
'use strict';

(() => {
  const RECENT_SWEEPS = 5;          // a sweep's table marks exchanges that failed in this many latest sweeps
  const PAGE = 20;

  // ---------- DOM and formatting ----------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const view = document.getElementById('view');
  const show = (...nodes) => view.replaceChildren(...nodes);

  function time(value) {
    if (value === null || value === undefined) return '–';
    const d = new Date(value);
    return isNaN(d) ? '–' : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function duration(ms) {
    if (ms === null || ms === undefined || ms < 0) return '–';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    return m < 60 ? `${m}m ${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
  }

  const spanOf = (from, to) => from ? duration((to ? new Date(to) : new Date()) - new Date(from)) : '–';
  const num = v => (v === null || v === undefined) ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 10 });

  function progress(done, total, state) {
    const pct = total > 0 ? Math.min(100, Math.round(done * 100 / total)) : (state === 'running' ? 0 : 100);
    const bar = el('div', { class: `progress ${state}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done },
      el('div', { class: 'fill' }));
    bar.firstChild.style.width = `${pct}%`;
    return el('div', { class: 'progress-wrap' }, bar, el('span', { class: 'progress-text', text: `${done}/${total}` }));
  }

  const badge = (text, kind) => el('span', { class: `badge ${kind || text}`, text });

  let toastTimer;
  function toast(message, kind) {
    const t = document.getElementById('toast');
    t.textContent = message;
    t.className = `toast ${kind || ''}`;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 6000);
  }

  // ---------- API ----------

  // The scheduler's API key lives only in this closure: never in a URL, a cookie or Web Storage,
  // so no other origin and no later page load can read it. Asked for when an action is refused.
  let apiKey = null;

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  async function send(method, url, body) {
    for (;;) {
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (apiKey) headers['X-Api-Key'] = apiKey;
      const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status === 401) {
        apiKey = await askForKey();
        if (apiKey) continue;
        throw new Error('This action needs the scheduler\'s API key.');
      }
      const text = await response.text();
      const data = text ? JSON.parse(text) : null;
      if (!response.ok) throw new Error((data && (data.detail || data.title)) || `${method} ${url}: ${response.status}`);
      return data;
    }
  }

  function askForKey() {
    const dialog = document.getElementById('key-dialog');
    const input = document.getElementById('key-input');
    input.value = '';
    return new Promise(resolve => {
      dialog.addEventListener('close', () => {
        const key = dialog.returnValue === 'ok' ? input.value : null;
        input.value = '';
        resolve(key || null);
      }, { once: true });
      dialog.showModal();
    });
  }

  async function act(what, action) {
    try {
      const result = await action();
      toast(what, 'ok');
      return result;
    } catch (error) {
      toast(error.message, 'error');
      return undefined;
    }
  }

  // ---------- live activity (server-sent events) ----------

  let activity = null;
  const activityListeners = new Set();

  function connectActivity() {
    const live = document.getElementById('live');
    const source = new EventSource('../api/activity/stream');
    source.addEventListener('open', () => { live.className = 'live on'; });
    source.addEventListener('error', () => { live.className = 'live off'; live.textContent = 'reconnecting…'; });
    source.addEventListener('activity', event => {
      activity = JSON.parse(event.data);
      const latest = activity.latest;
      live.className = 'live on';
      live.textContent = latest
        ? `sweep ${latest.sweepId} ${latest.state} · ${latest.done}/${latest.total}`
        : 'no sweep yet';
      for (const listener of activityListeners) listener(activity);
    });
  }

  // A view's live hook, dropped when the view changes.
  function onActivity(listener) {
    activityListeners.add(listener);
    if (activity) listener(activity);
    cleanups.push(() => activityListeners.delete(listener));
  }

  // ---------- views ----------

  let cleanups = [];

  function route() {
    for (const cleanup of cleanups.splice(0)) cleanup();
    const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const params = new URLSearchParams(query || '');
    const name = parts[0] || 'sweeps';
    for (const link of document.querySelectorAll('nav a')) {
      link.classList.toggle('active', link.dataset.view === name);
    }
    const render = {
      sweeps: () => parts[1] ? sweepView(Number(parts[1])) : sweepsView(params),
      deadletters: () => deadLettersView(params),
      now: () => nowView(),
      books: () => booksView(params),
      compare: () => compareView(params),
      history: () => historyView(params),
    }[name] || (() => sweepsView(params));
    render().catch(error => show(el('p', { class: 'error', text: `Could not load: ${error.message}` })));
  }

  // Sweeps: the history, newest first, paged with the API's before cursor.
  async function sweepsView(params) {
    const before = params.get('before');
    const table = el('tbody');
    const pager = el('div', { class: 'pager' });
    show(el('h1', { text: 'Sweeps' }),
      el('table', { class: 'grid', id: 'sweeps' },
        el('thead', {}, el('tr', {}, ...['Sweep', 'State', 'Started', 'Duration', 'Progress', 'Succeeded', 'Partial', 'Failed', 'Dead-lettered', 'Cancelled']
          .map(h => el('th', { text: h })))),
        table),
      pager);

    async function load() {
      const page = await getJson(`../api/sweeps?limit=${PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      table.replaceChildren(...page.items.map(s => el('tr', { dataset: { sweep: s.sweepId }, class: s.state },
        el('td', {}, el('a', { href: `#/sweeps/${s.sweepId}`, text: `#${s.sweepId}` })),
        el('td', {}, badge(s.state)),
        el('td', { text: time(s.createdAt) }),
        el('td', { text: spanOf(s.createdAt, s.finishedAt) }),
        el('td', {}, progress(s.done, s.total, s.state)),
        el('td', { class: 'n', text: s.succeeded }),
        el('td', { class: 'n', text: s.partial }),
        el('td', { class: `n ${s.failed ? 'bad' : ''}`, text: s.failed }),
        el('td', { class: `n ${s.deadLettered ? 'bad' : ''}`, text: s.deadLettered }),
        el('td', { class: 'n', text: s.cancelled }))));
      if (page.items.length === 0) table.append(el('tr', {}, el('td', { colspan: 10, class: 'empty', text: 'No sweeps yet.' })));
      pager.replaceChildren(
        before ? el('a', { href: '#/sweeps', text: '« Newest' }) : '',
        page.nextBefore ? el('a', { href: `#/sweeps?before=${page.nextBefore}`, text: 'Older »' }) : '');
      return page.items[0];
    }

    const first = await load();
    if (!before) {
      // The page just read is current: reload only when the latest sweep moves on from it.
      let seen = first ? `${first.sweepId}:${first.state}:${first.done}` : '';
      onActivity(a => {
        const l = a.latest;
        const key = l ? `${l.sweepId}:${l.state}:${l.done}` : '';
        if (key !== seen) { seen = key; load(); }
      });
    }
  }

  // One sweep: every exchange's outcome, sortable and filterable; repeat failures stand out.
  async function sweepView(sweepId) {
    const state = { sort: 'exchange', desc: false, filter: '', outcome: '' };
    const head = el('div', { class: 'sweep-head' });
    const body = el('tbody');
    const filter = el('input', { type: 'search', id: 'exchange-filter', placeholder: 'Filter: exchange, error class, worker, message…', 'aria-label': 'Filter exchanges' });
    const outcomeSelect = el('select', { id: 'outcome-filter', 'aria-label': 'Outcome' },
      ...['', 'succeeded', 'partial', 'failed', 'dead-lettered', 'cancelled', 'skipped', 'not-simulated'].map(o => new Option(o || 'all outcomes', o)));
    const columns = [
      ['exchange', 'Exchange'], ['outcome', 'Outcome'], ['symbolsOk', 'Books ok'], ['symbolsFailed', 'Books failed'],
      ['errors', 'Errors by class'], ['medianSpreadBps', 'Liquidity'], ['attempts', 'Attempts'], ['duration', 'Duration'], ['worker', 'Worker'], ['message', 'Last error'],
    ];
    const headRow = el('tr', {}, ...columns.map(([key, label]) => el('th', {
      class: 'sortable', dataset: { key }, tabindex: 0,
      onclick: () => { state.desc = state.sort === key ? !state.desc : false; state.sort = key; draw(); },
    }, label)));
    show(head,
      el('div', { class: 'toolbar' }, filter, outcomeSelect, el('span', { class: 'legend' }, el('span', { class: 'recent-swatch' }), `failed in another of the last ${RECENT_SWEEPS} sweeps`)),
      el('table', { class: 'grid', id: 'exchanges' }, el('thead', {}, headRow), body));
    filter.addEventListener('input', () => { state.filter = filter.value.toLowerCase(); draw(); });
    outcomeSelect.addEventListener('change', () => { state.outcome = outcomeSelect.value; draw(); });

    let rows = [];
    let recent = new Map();

    async function loadRecentFailures() {
      // The latest sweeps up to this one (a page of the history), each read once for its outcomes.
      const page = await getJson(`../api/sweeps?limit=${RECENT_SWEEPS}&before=${sweepId + 1}`);
      const others = page.items.filter(s => s.sweepId !== sweepId && (s.failed + s.deadLettered + s.partial) > 0);
      const failures = new Map();
      for (const other of await Promise.all(others.map(s => getJson(`../api/sweeps/${s.sweepId}`)))) {
        for (const [exchange, o] of Object.entries(other ? other.outcomes : {})) {
          if (['failed', 'dead-lettered', 'partial'].includes(o.outcome)) failures.set(exchange, (failures.get(exchange) || 0) + 1);
        }
      }
      recent = failures;
    }

    async function load() {
      const sweep = await getJson(`../api/sweeps/${sweepId}`);
      if (!sweep) { show(el('p', { class: 'error', text: `Sweep ${sweepId} does not exist or has expired.` })); return null; }
      head.replaceChildren(
        el('h1', {}, `Sweep #${sweepId} `, badge(sweep.state)),
        el('div', { class: 'facts' },
          el('span', { text: `Started ${time(sweep.createdAt)}` }),
          el('span', { text: `Duration ${spanOf(sweep.createdAt, sweep.finishedAt)}` }),
          el('span', { text: `${sweep.succeeded} succeeded · ${sweep.partial} partial · ${sweep.failed} failed · ${sweep.deadLettered} dead-lettered · ${sweep.cancelled} cancelled${sweep.notSimulated ? ` · ${sweep.notSimulated} not simulated` : ''}` }),
          el('span', { text: `${sweep.queued} queued · ${sweep.claimed} in progress` })),
        progress(sweep.done, sweep.total, sweep.state),
        archiveLinks(sweep));
      rows = Object.entries(sweep.outcomes).map(([exchange, o]) => ({
        exchange,
        outcome: o.outcome,
        symbolsOk: o.symbolsOk,
        symbolsFailed: o.symbolsFailed,
        errorsByClass: o.errorsByClass || {},
        errors: Object.values(o.errorsByClass || {}).reduce((a, b) => a + b, 0),
        errorClass: o.errorClass,
        medianSpreadBps: o.medianSpreadBps ?? null,
        attempts: o.attempts,
        duration: o.startedAt && o.finishedAt ? new Date(o.finishedAt) - new Date(o.startedAt) : null,
        worker: o.worker || '',
        message: o.message || '',
      }));
      draw();
      return sweep;
    }

    function draw() {
      const visible = rows.filter(r => (!state.outcome || r.outcome === state.outcome) && (!state.filter ||
        [r.exchange, r.outcome, r.worker, r.message, r.errorClass || '', ...Object.keys(r.errorsByClass)].some(v => v.toLowerCase().includes(state.filter))));
      const key = state.sort;
      visible.sort((a, b) => {
        const x = a[key] ?? -1, y = b[key] ?? -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return state.desc ? -c : c;
      });
      for (const th of headRow.children) th.className = `sortable ${th.dataset.key === key ? (state.desc ? 'desc' : 'asc') : ''}`;
      body.replaceChildren(...visible.map(r => {
        const repeats = recent.get(r.exchange) || 0;
        const failedNow = ['failed', 'dead-lettered', 'partial'].includes(r.outcome);
        const classes = Object.entries(r.errorsByClass);
        if (r.errorClass && !r.errorsByClass[r.errorClass]) classes.push([r.errorClass, null]);
        return el('tr', { dataset: { exchange: r.exchange }, class: `${r.outcome} ${repeats > 0 && failedNow ? 'recent-failure' : ''}` },
          el('td', {}, el('span', { text: r.exchange }), repeats > 0 ? el('span', { class: 'repeat', title: `failed in ${repeats} other of the last ${RECENT_SWEEPS} sweeps`, text: `×${repeats + (failedNow ? 1 : 0)}` }) : ''),
          el('td', {}, badge(r.outcome)),
          el('td', { class: 'n', text: r.symbolsOk }),
          el('td', { class: `n ${r.symbolsFailed ? 'bad' : ''}`, text: r.symbolsFailed }),
          el('td', { class: 'classes' }, ...classes.map(([c, n]) => el('span', { class: 'error-class', text: n === null ? c : `${c} ×${n}` }))),
          el('td', { class: 'n liquidity', title: 'median spread of its books in this sweep, in basis points', text: r.medianSpreadBps === null ? '–' : `${bps(r.medianSpreadBps)} bps` }),
          el('td', { class: 'n', text: r.attempts }),
          el('td', { class: 'n', text: duration(r.duration) }),
          el('td', { class: 'mono', text: r.worker }),
          el('td', { class: 'message', title: r.message, text: r.message }));
      }));
      if (visible.length === 0) body.append(el('tr', {}, el('td', { colspan: columns.length, class: 'empty', text: rows.length ? 'No exchange matches the filter.' : 'No outcome yet.' })));
    }

    await loadRecentFailures();
    const sweep = await load();
    if (sweep) {
      let seen = `${sweep.state}:${sweep.done}`;
      onActivity(a => {
        const l = a.latest;
        if (!l || l.sweepId !== sweepId) return;
        const key = `${l.state}:${l.done}`;
        if (key !== seen) { seen = key; load(); }
      });
    }
  }

  // A finished sweep's three Parquet files (docs/archive.md); the archiver writes them once it ends.
  const archiveLinks = sweep => sweep.state === 'running'
    ? el('p', { class: 'hint', id: 'archive-links', text: 'Archive: written once the sweep ends.' })
    : el('p', { class: 'downloads', id: 'archive-links' }, 'Archive (Parquet): ',
      ...['books', 'metrics', 'outcomes'].map(part => el('a', {
        class: 'download', dataset: { part }, download: `sweep-${sweep.sweepId}-${part}.parquet`,
        href: `../api/sweeps/${sweep.sweepId}/archive?part=${part}`,
      }, part)));

  // Dead letters: filter by class; requeue one, requeue a class, discard one.
  async function deadLettersView(params) {
    const errorClass = params.get('class') || '';
    const offset = Math.max(0, Number(params.get('offset')) || 0);
    const page = await getJson(`../api/deadletters?limit=${PAGE}&offset=${offset}${errorClass ? `&errorClass=${encodeURIComponent(errorClass)}` : ''}`);
    const classLink = (c, n) => {
      const href = c ? `#/deadletters?class=${encodeURIComponent(c)}` : '#/deadletters';
      return el('a', { class: `chip ${c === errorClass ? 'active' : ''}`, href }, c || 'all', n !== undefined ? el('span', { class: 'count', text: n }) : '');
    };
    const total = Object.values(page.classes).reduce((a, b) => a + b, 0);
    const reload = () => deadLettersView(params);

    show(el('h1', { text: 'Dead letters' }),
      el('p', { class: 'hint', text: 'Jobs given up: attempts used up on errors worth retrying, or an error that is not. Requeue puts a job back in its own sweep with fresh attempts.' }),
      el('div', { class: 'toolbar' },
        classLink('', total), ...Object.entries(page.classes).map(([c, n]) => classLink(c, n)),
        errorClass ? el('button', {
          class: 'primary', id: 'requeue-class',
          onclick: () => act(`Requeued the ${errorClass} dead letters`, async () => {
            const result = await send('POST', '../api/deadletters/requeue', { errorClass });
            toast(`${result.requeued} of ${result.attempts.length} requeued`, 'ok');
          }).then(reload),
        }, `Requeue all ${errorClass}`) : ''),
      el('table', { class: 'grid', id: 'dead-letters' },
        el('thead', {}, el('tr', {}, ...['Exchange', 'Sweep', 'Attempts', 'Error class', 'Message', 'Worker', 'When', ''].map(h => el('th', { text: h })))),
        el('tbody', {}, page.items.length === 0
          ? el('tr', {}, el('td', { colspan: 8, class: 'empty', text: 'No dead letters.' }))
          : page.items.map(d => el('tr', { dataset: { exchange: d.exchange, sweep: d.sweepId } },
            el('td', { text: d.exchange }),
            el('td', {}, el('a', { href: `#/sweeps/${d.sweepId}`, text: `#${d.sweepId}` })),
            el('td', { class: 'n', text: d.attempts }),
            el('td', {}, el('span', { class: 'error-class', text: d.errorClass })),
            el('td', { class: 'message', title: d.message, text: d.message }),
            el('td', { class: 'mono', text: d.worker || '–' }),
            el('td', { text: time(d.at) }),
            el('td', { class: 'actions' },
              el('button', {
                class: 'requeue', onclick: () => act(`Requeued ${d.exchange} in sweep ${d.sweepId}`,
                  () => send('POST', `../api/deadletters/${d.sweepId}/${encodeURIComponent(d.exchange)}/requeue`)).then(reload),
              }, 'Requeue'),
              el('button', {
                class: 'discard', onclick: () => confirm(`Discard the dead letter of ${d.exchange} (sweep ${d.sweepId})?`) &&
                  act(`Discarded ${d.exchange}`, () => send('DELETE', `../api/deadletters/${d.sweepId}/${encodeURIComponent(d.exchange)}`)).then(reload),
              }, 'Discard')))))),
      el('div', { class: 'pager' },
        offset > 0 ? el('a', { href: `#/deadletters?class=${encodeURIComponent(errorClass)}&offset=${Math.max(0, offset - PAGE)}`, text: '« Newer' }) : '',
        offset + PAGE < page.total ? el('a', { href: `#/deadletters?class=${encodeURIComponent(errorClass)}&offset=${offset + PAGE}`, text: 'Older »' }) : ''));
  }

  // Now: permits, queue, schedule, and the buttons that start, cancel, pause and resume.
  async function nowView() {
    const permits = el('tbody');
    const facts = el('dl', { class: 'stats' });
    const schedule = el('dl', { class: 'stats' });
    const latest = el('div', { class: 'latest' });
    const pause = el('button', { id: 'pause', onclick: () => act('Interval sweeps paused', () => send('POST', '../api/schedule/pause')) }, 'Pause interval');
    const resume = el('button', { id: 'resume', onclick: () => act('Interval sweeps resumed', () => send('POST', '../api/schedule/resume')) }, 'Resume interval');
    show(el('h1', { text: 'Now' }),
      el('div', { class: 'panels' },
        el('section', { class: 'panel' }, el('h2', { text: 'Latest sweep' }), latest,
          el('div', { class: 'buttons' },
            el('button', {
              class: 'primary', id: 'start-sweep',
              onclick: () => act('Sweep started', async () => { const s = await send('POST', '../api/sweeps'); location.hash = `#/sweeps/${s.sweepId}`; }),
            }, 'Start sweep'),
            el('button', {
              class: 'danger', id: 'cancel-sweep',
              onclick: () => confirm('Cancel the running sweep? Queued exchanges end as cancelled.') && act('Sweep cancelled', () => send('DELETE', '../api/sweeps/latest')),
            }, 'Cancel sweep'))),
        el('section', { class: 'panel' }, el('h2', { text: 'Queue' }), facts),
        el('section', { class: 'panel' }, el('h2', { text: 'Schedule' }), schedule, el('div', { class: 'buttons' }, pause, resume))),
      el('section', { class: 'panel wide' }, el('h2', { text: 'Permits held' }),
        el('table', { class: 'grid', id: 'permits' },
          el('thead', {}, el('tr', {}, ...['Exchange', 'Worker', 'Since', 'Held for', 'Lease expires'].map(h => el('th', { text: h })))),
          permits)));

    const stat = (label, value, id) => [el('dt', { text: label }), el('dd', { id, text: value })];
    onActivity(a => {
      const q = a.queue;
      facts.replaceChildren(
        ...stat('Permits held', `${q.holders.length} of ${q.permitCap}`, 'permits-held'),
        ...stat('Waiting for a permit', q.waiters, 'waiters'),
        ...stat('Ready in queue', q.ready, 'queue-depth'),
        ...stat('Waiting for a retry', q.delayedRetries, 'delayed-retries'),
        ...stat('Under lease', q.leased, 'leased'));
      const s = a.schedule;
      schedule.replaceChildren(
        ...stat('Interval', s.interval === '00:00:00' ? 'on demand only' : s.interval, 'interval'),
        ...stat('State', s.paused ? 'paused' : 'active', 'schedule-state'),
        ...stat('Next interval sweep', s.nextSweepAt ? time(s.nextSweepAt) : '–', 'next-sweep'));
      pause.disabled = s.paused;
      resume.disabled = !s.paused;
      const l = a.latest;
      latest.replaceChildren(l
        ? el('div', {}, el('p', {}, el('a', { href: `#/sweeps/${l.sweepId}`, text: `Sweep #${l.sweepId}` }), ' ', badge(l.state),
            ` started ${time(l.createdAt)}`), progress(l.done, l.total, l.state))
        : el('p', { class: 'empty', text: 'No sweep yet.' }));
      permits.replaceChildren(...(q.holders.length === 0
        ? [el('tr', {}, el('td', { colspan: 5, class: 'empty', text: 'No permit is held.' }))]
        : q.holders.map(h => el('tr', {},
          el('td', { text: h.exchange }),
          el('td', { class: 'mono', text: h.holderId }),
          el('td', { text: time(h.since) }),
          el('td', { text: spanOf(h.since, null) }),
          el('td', { text: time(h.leaseExpiresAt) })))));
    });
  }

  // Books: pick an exchange and a symbol from the index of stored books; the view follows newer books.
  async function booksView(params) {
    const exchanges = await getJson('../api/orderbooks/exchanges');
    const exchange = params.get('exchange') || '';
    const symbol = params.get('symbol') || '';
    const exchangeSelect = el('select', { id: 'book-exchange', 'aria-label': 'Exchange' },
      new Option('choose an exchange', ''), ...exchanges.map(e => new Option(`${e.exchange} (${e.books})`, e.exchange)));
    exchangeSelect.value = exchange;
    const search = el('input', { type: 'search', id: 'symbol-search', placeholder: 'Search symbols…', 'aria-label': 'Search symbols', disabled: !exchange });
    const symbols = el('div', { class: 'symbols', id: 'symbols' });
    const book = el('div', { class: 'book', id: 'book' });
    show(el('h1', { text: 'Books' }),
      el('div', { class: 'book-layout' },
        el('aside', {}, exchangeSelect, search, symbols),
        book));

    const open = (ex, sym) => { location.hash = `#/books?exchange=${encodeURIComponent(ex)}${sym ? `&symbol=${encodeURIComponent(sym)}` : ''}`; };
    exchangeSelect.addEventListener('change', () => open(exchangeSelect.value, ''));

    async function listSymbols() {
      if (!exchange) { symbols.replaceChildren(el('p', { class: 'empty', text: `${exchanges.length} exchanges have stored books.` })); return; }
      const page = await getJson(`../api/orderbooks/exchanges/${encodeURIComponent(exchange)}?limit=200&search=${encodeURIComponent(search.value)}`);
      symbols.replaceChildren(
        el('p', { class: 'hint', text: `${page.total} symbol${page.total === 1 ? '' : 's'}${page.total > page.symbols.length ? `, first ${page.symbols.length} shown` : ''}` }),
        ...page.symbols.map(s => el('button', { class: `symbol ${s === symbol ? 'active' : ''}`, onclick: () => open(exchange, s) }, s)));
    }
    let searchTimer;
    search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(listSymbols, 200); });
    await listSymbols();

    if (!exchange || !symbol) {
      book.replaceChildren(el('p', { class: 'empty', text: 'Choose an exchange and a symbol to see its latest book.' }));
      return;
    }

    let chart = null;
    cleanups.push(() => chart && chart.destroy());
    const drawBook = async () => {
      const b = await getJson(`../api/orderbooks/${encodeURIComponent(exchange)}/${encodeURIComponent(symbol)}`);
      if (!b) { book.replaceChildren(el('p', { class: 'empty', text: 'No stored book (it may have expired).' })); return; }
      if (chart) chart.destroy();
      chart = renderBook(book, exchange, symbol, b,
        fact('Exchange timestamp', { text: b.timestamp ? time(b.timestamp) : 'not given' }),
        fact('Fetched at', { id: 'fetched-at', text: time(b.fetchedAt) }),
        fact('Sweep', {}, el('a', { href: `#/sweeps/${b.sweepId}`, text: `#${b.sweepId}` })),
        fact('Worker', { class: 'mono', text: b.worker }));
    };
    await drawBook();

    // Newer books of this pair arrive as notifications; each one reloads the book.
    const source = new EventSource(`../api/orderbooks/stream?exchange=${encodeURIComponent(exchange)}&symbol=${encodeURIComponent(symbol)}`);
    source.addEventListener('book', () => drawBook());
    cleanups.push(() => source.close());
  }

  // ---------- liquidity ----------

  // Two decimals, or two significant digits below 1 bps: tight books' spreads stay readable.
  const bps = v => (v === null || v === undefined) ? '–' : Math.abs(v) >= 1 ? Number(v).toFixed(2) : Number(v).toPrecision(2);
  const compact = v => (v === null || v === undefined) ? '–'
    : Number(v).toLocaleString('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
  const depthAt = (metrics, percent) => (metrics && metrics.depth || []).find(d => d.percent === percent) || null;
  const slippageAt = (metrics, notional) => (metrics && metrics.slippage || []).find(s => s.notional === notional) || null;
  const sumOrNull = (a, b) => (a === null || a === undefined) && (b === null || b === undefined) ? null : (a ?? 0) + (b ?? 0);

  // A bar whose length is value / max of its column: the cell keeps the number beside it as text.
  function bar(value, max, kind) {
    const fill = el('span', { class: `bar ${kind}` });
    fill.style.width = `${value > 0 && max > 0 ? Math.max(1, Math.round(value * 100 / max)) : 0}%`;
    return fill;
  }

  // Compare: one symbol on every venue with a stored book of it, side by side. The venues come
  // from /api/markets/{symbol}; the consolidated view (best prices, summed depth, the crossed and
  // stale venues flagged) from /api/markets?base=&quote=&type= for the symbol's base, quote and type.
  async function compareView(params) {
    const symbol = params.get('symbol') || '';
    const search = el('input', { type: 'search', id: 'compare-search', placeholder: 'Symbol (BTC/USDT, BTC/USDT:USDT) or a base (BTC)…', 'aria-label': 'Symbol' });
    search.value = symbol;
    const suggestions = el('div', { class: 'suggestions', id: 'compare-suggestions' });
    const body = el('div', { id: 'compare' });
    const open = s => { location.hash = `#/compare?symbol=${encodeURIComponent(s)}`; };
    show(el('h1', { text: 'Compare' }),
      el('form', { class: 'toolbar', onsubmit: event => { event.preventDefault(); if (search.value.trim()) open(search.value.trim()); } },
        search, el('button', { class: 'primary', type: 'submit' }, 'Compare')),
      suggestions, body);

    // Suggestions: the symbols of the base typed so far, from the markets index.
    async function suggest() {
      const base = search.value.trim().split(/[/:]/)[0];
      if (!base) { suggestions.replaceChildren(); return; }
      const found = await getJson(`../api/markets?base=${encodeURIComponent(base)}`);
      suggestions.replaceChildren(...found.symbols.map(s => el('button', { type: 'button', class: `chip ${s.symbol === symbol ? 'active' : ''}`, onclick: () => open(s.symbol) },
        s.symbol, el('span', { class: 'count', text: s.venues.length }))),
        found.truncated ? el('span', { class: 'hint', text: `first ${found.symbols.length} shown` }) : '');
    }
    let suggestTimer;
    search.addEventListener('input', () => {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(() => suggest().catch(() => suggestions.replaceChildren()), 250);
    });

    if (!symbol) {
      body.replaceChildren(el('p', { class: 'empty', text: 'Type a symbol or a base currency to compare its books across exchanges.' }));
      return;
    }
    suggest().catch(() => suggestions.replaceChildren());

    const market = await getJson(`../api/markets/${encodeURIComponent(symbol)}`);
    const venues = market ? market.venues : [];
    if (venues.length === 0) {
      body.replaceChildren(el('p', { class: 'empty', text: `No exchange has a stored book of ${symbol}.` }));
      return;
    }
    const { base, quote, marketType } = venues[0].market;
    const group = await getJson(`../api/markets?base=${encodeURIComponent(base)}&quote=${encodeURIComponent(quote)}&type=${encodeURIComponent(marketType)}`);
    const consolidated = group.consolidated;
    const flagged = new Map(consolidated.flagged.filter(f => f.symbol === symbol).map(f => [f.exchange, f]));

    const notionals = [...new Set(venues.flatMap(v => (v.metrics.slippage || []).map(s => s.notional)))].sort((a, b) => a - b);
    let notional = notionals.includes(100000) ? 100000 : notionals[0];
    const rows = venues.map(v => {
      const m = v.metrics;
      const d1 = depthAt(m, 1), d2 = depthAt(m, 2);
      const flag = flagged.get(v.exchange);
      return {
        venue: v, exchange: v.exchange, metrics: m, d1, d2,
        spreadBps: m.spreadBps,
        depth1: d1 ? sumOrNull(d1.bidQuote, d1.askQuote) : null,
        depth2: d2 ? sumOrNull(d2.bidQuote, d2.askQuote) : null,
        levels: m.bidLevels + m.askLevels,
        ageMs: m.ageMs,
        fetchedAt: new Date(v.fetchedAt).getTime(),
        marks: [m.crossed ? 'crossed' : null, flag && flag.stale ? 'stale' : null].filter(Boolean),
      };
    });

    const state = { sort: 'spreadBps', desc: false };
    const notionalSelect = el('select', { id: 'slippage-notional', 'aria-label': 'Order size for slippage' },
      ...notionals.map(n => new Option(`slippage for ${num(n)} ${quote}`, String(n))));
    notionalSelect.value = String(notional);
    notionalSelect.addEventListener('change', () => { notional = Number(notionalSelect.value); draw(); });
    const columns = [
      ['exchange', 'Exchange'], ['spreadBps', 'Spread (bps)'], ['depth1', `Depth ±1% (${quote})`], ['depth2', `Depth ±2% (${quote})`],
      ['buyBps', 'Buy slippage (bps)'], ['sellBps', 'Sell slippage (bps)'], ['levels', 'Levels bid / ask'], ['ageMs', 'Age'], ['fetchedAt', 'Fetched'], ['marks', 'Marks'],
    ];
    const headRow = el('tr', {}, ...columns.map(([key, label]) => el('th', {
      class: 'sortable', dataset: { key }, tabindex: 0,
      onclick: () => { state.desc = state.sort === key ? !state.desc : false; state.sort = key; draw(); },
    }, label)));
    const tbody = el('tbody');
    const chartBox = el('div', { id: 'compare-chart', class: 'chart' });
    const where = p => p ? `${num(p.price)} (${p.exchange}${p.symbol === symbol ? '' : ` ${p.symbol}`})` : '–';
    const scope = group.symbols.length === 1
      ? `${consolidated.venues} venue(s), ${consolidated.flagged.length} flagged and left out`
      : `all ${group.symbols.length} ${base}/${quote} ${marketType} symbols: ${consolidated.venues} venues, ${consolidated.flagged.length} flagged and left out`;
    body.replaceChildren(
      el('h2', {}, el('span', { id: 'compare-title', text: symbol }), ' ', badge(marketType, 'running'), ' ',
        el('a', { class: 'hint', href: `#/history?symbol=${encodeURIComponent(symbol)}`, text: 'its history »' })),
      el('dl', { class: 'stats inline', id: 'compare-facts' },
        fact('Venues', { id: 'venue-count', text: rows.length }),
        fact('Best bid', { id: 'best-bid', text: where(consolidated.bestBid) }),
        fact('Best ask', { id: 'best-ask', text: where(consolidated.bestAsk) }),
        fact('Crossed', { text: rows.filter(r => r.marks.includes('crossed')).length }),
        fact('Stale', { text: rows.filter(r => r.marks.includes('stale')).length })),
      el('section', { class: 'panel' },
        el('h2', { text: `Consolidated depth, in ${quote}, by distance from each venue's mid` }),
        el('p', { class: 'hint', id: 'compare-scope', text: `Summed over ${scope}.` }),
        chartBox),
      el('div', { class: 'toolbar' }, notionalSelect,
        el('span', { class: 'legend' }, el('span', { class: 'bar bid swatch' }), 'bids', el('span', { class: 'bar ask swatch' }), 'asks'),
        el('span', { class: 'legend', text: 'crossed: best bid ≥ best ask · stale: the exchange held the book longer than the stale limit before it was fetched' })),
      el('table', { class: 'grid', id: 'venues' }, el('thead', {}, headRow), tbody));

    function draw() {
      for (const r of rows) {
        const s = slippageAt(r.metrics, notional);
        r.buyBps = s ? s.buyBps : null;
        r.sellBps = s ? s.sellBps : null;
      }
      const key = state.sort;
      // A venue without the figure sorts last either way: it is never "best".
      const value = r => key === 'marks' ? r.marks.length : r[key] ?? null;
      rows.sort((a, b) => {
        const x = value(a), y = value(b);
        if (x === null || y === null) return (x === null) - (y === null);
        const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
        return state.desc ? -c : c;
      });
      for (const th of headRow.children) th.className = `sortable ${th.dataset.key === key ? (state.desc ? 'desc' : 'asc') : ''}`;
      const max = k => Math.max(0, ...rows.map(r => r[k] ?? 0));
      const maxSpread = max('spreadBps'), maxDepth1 = max('depth1'), maxDepth2 = max('depth2');
      const depthCell = (d, total, maxTotal) => el('td', { class: 'n depth', title: d ? `bids ${num(d.bidQuote)} · asks ${num(d.askQuote)} ${quote}` : 'no depth (an empty side, or an option)' },
        el('span', { class: 'bars' }, bar(d ? d.bidQuote : 0, maxTotal, 'bid'), bar(d ? d.askQuote : 0, maxTotal, 'ask')),
        el('span', { class: 'figure', text: compact(total) }));
      tbody.replaceChildren(...rows.map(r => el('tr', { dataset: { exchange: r.exchange }, class: r.marks.join(' ') },
        el('td', {}, el('a', { href: `#/books?exchange=${encodeURIComponent(r.exchange)}&symbol=${encodeURIComponent(symbol)}`, class: 'venue-link', text: r.exchange })),
        el('td', { class: 'n spread' }, el('span', { class: 'bars' }, bar(r.spreadBps ?? 0, maxSpread, 'spread')), el('span', { class: 'figure', text: bps(r.spreadBps) })),
        depthCell(r.d1, r.depth1, maxDepth1),
        depthCell(r.d2, r.depth2, maxDepth2),
        el('td', { class: 'n buy', text: bps(r.buyBps) }),
        el('td', { class: 'n sell', text: bps(r.sellBps) }),
        el('td', { class: 'n', text: `${r.metrics.bidLevels} / ${r.metrics.askLevels}` }),
        el('td', { class: 'n', text: r.ageMs === null ? '–' : duration(r.ageMs) }),
        el('td', {}, el('a', { href: `#/sweeps/${r.venue.sweepId}`, text: time(r.venue.fetchedAt) })),
        el('td', { class: 'marks' }, ...r.marks.map(f => badge(f, `mark-${f}`))))));
    }

    draw();
    const chart = consolidatedDepthChart(chartBox, consolidated.depth);
    cleanups.push(() => chart.destroy());
  }

  // The consolidated depth bands as one chart: bids left of the mid, asks right, each band at the
  // same distance from every venue's own mid, in the quote currency (so spot and contracts add up).
  function consolidatedDepthChart(box, bands) {
    const labels = [...bands.map(b => `−${b.percent}%`).reverse(), ...bands.map(b => `+${b.percent}%`)];
    const xs = labels.map((_, i) => i);
    const bidYs = [...bands.map(b => b.bidQuote).reverse(), ...bands.map(() => null)];
    const askYs = [...bands.map(() => null), ...bands.map(b => b.askQuote)];
    const width = Math.max(320, box.getBoundingClientRect().width || 800);
    return new uPlot({
      width, height: 280,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] } },
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      axes: [
        { label: 'distance from the mid', splits: () => xs, values: (u, splits) => splits.map(i => labels[i] ?? '') },
        { label: 'cumulative depth', size: 80, values: (u, splits) => splits.map(compact) },
      ],
      series: [
        { label: 'band', value: (u, i) => (i === null || labels[i] === undefined ? '–' : labels[i]) },
        { label: 'bids, all venues', stroke: '#1a7f37', fill: 'rgba(26,127,55,0.18)', width: 2, value: (u, v) => compact(v) },
        { label: 'asks, all venues', stroke: '#cf222e', fill: 'rgba(207,34,46,0.18)', width: 2, value: (u, v) => compact(v) },
      ],
    }, [xs, bidYs, askYs], box);
  }

  // History: one metric of a symbol across archived sweeps (docs/archive.md), a line per exchange.
  // Clicking a point opens that sweep's archived book with its depth chart.
  const HISTORY_FIELDS = [
    ['spread_bps', 'Spread (bps)'],
    ['bid_quote_1pct', 'Bid depth within 1% (quote)'],
    ['ask_quote_1pct', 'Ask depth within 1% (quote)'],
    ['buy_bps_100000', 'Buy slippage for 100,000 (bps)'],
    ['sell_bps_100000', 'Sell slippage for 100,000 (bps)'],
  ];
  const HISTORY_DAYS = [1, 7, 30];
  const HISTORY_COLOURS = ['#0969da', '#1a7f37', '#cf222e', '#8250df', '#9a6700', '#1b7c83', '#bf3989', '#57606a'];

  async function historyView(params) {
    const symbol = params.get('symbol') || '';
    const given = [...new Set((params.get('exchanges') || '').split(',').filter(Boolean))];
    const field = HISTORY_FIELDS.some(([f]) => f === params.get('field')) ? params.get('field') : HISTORY_FIELDS[0][0];
    const days = HISTORY_DAYS.includes(Number(params.get('days'))) ? Number(params.get('days')) : 7;

    const symbolInput = el('input', { type: 'search', id: 'history-symbol', placeholder: 'Symbol, e.g. BTC/USDT', 'aria-label': 'Symbol' });
    symbolInput.value = symbol;
    const fieldSelect = el('select', { id: 'history-field', 'aria-label': 'Metric' }, ...HISTORY_FIELDS.map(([f, label]) => new Option(label, f)));
    fieldSelect.value = field;
    const daysSelect = el('select', { id: 'history-days', 'aria-label': 'Range' }, ...HISTORY_DAYS.map(d => new Option(`last ${d} day${d === 1 ? '' : 's'}`, String(d))));
    daysSelect.value = String(days);
    const exchangeBoxes = el('div', { class: 'toolbar', id: 'history-exchanges' });
    const chartBox = el('div', { id: 'history-chart', class: 'chart' });
    const archived = el('div', { id: 'archived-book' });
    // exchanges null: a new symbol, whose exchanges are not chosen yet.
    const go = exchanges => {
      location.hash = `#/history?symbol=${encodeURIComponent(symbolInput.value.trim())}` +
        `${exchanges ? `&exchanges=${exchanges.map(encodeURIComponent).join(',')}` : ''}&field=${encodeURIComponent(fieldSelect.value)}&days=${daysSelect.value}`;
    };
    const ticked = () => [...exchangeBoxes.querySelectorAll('input:checked')].map(box => box.value);
    show(el('h1', { text: 'History' }),
      el('form', { class: 'toolbar', onsubmit: event => { event.preventDefault(); symbolInput.value.trim() === symbol ? go(ticked()) : go(null); } },
        symbolInput, fieldSelect, daysSelect, el('button', { class: 'primary', type: 'submit' }, 'Show')),
      exchangeBoxes,
      el('section', { class: 'panel' }, chartBox),
      archived);
    if (!symbol) {
      chartBox.replaceChildren(el('p', { class: 'empty', text: 'Choose a symbol, then the exchanges whose archived metrics to chart.' }));
      return;
    }

    // The exchanges to choose from: those with a live book of the symbol, and any already chosen.
    // Without a choice in the address, the first few of them are ticked.
    const market = await getJson(`../api/markets/${encodeURIComponent(symbol)}`);
    const live = market ? market.venues.map(v => v.exchange) : [];
    const chosen = params.has('exchanges') ? given : live.slice(0, HISTORY_COLOURS.length);
    const offered = [...new Set([...live, ...chosen])].sort();
    exchangeBoxes.replaceChildren(el('span', { class: 'legend', text: 'Exchanges:' }), ...offered.map(exchange => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: exchange, checked: chosen.includes(exchange), onchange: () => go(ticked()) }), exchange)));
    if (chosen.length === 0) {
      chartBox.replaceChildren(el('p', { class: 'empty', text: offered.length ? 'Tick one or more exchanges.' : `No exchange has a live book of ${symbol}; name archived ones with &exchanges=… in the address.` }));
      return;
    }

    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    const series = await Promise.all(chosen.map(async exchange => {
      const answer = await getJson(`../api/history/${encodeURIComponent(exchange)}/${encodeURIComponent(symbol)}` +
        `?from=${from.toISOString()}&to=${to.toISOString()}&fields=${encodeURIComponent(field)}`);
      return { exchange, points: (answer ? answer.points : []).map(p => ({ t: new Date(p.fetchedAt).getTime() / 1000, value: p.values[field], sweepId: p.sweepId })) };
    }));
    if (series.every(s => s.points.length === 0)) {
      chartBox.replaceChildren(el('p', { class: 'empty', text: `No archived book of ${symbol} on ${chosen.join(', ')} in the last ${days} day(s).` }));
      return;
    }

    // One time axis for all: the union of the points' times, each exchange null where it has none.
    const xs = [...new Set(series.flatMap(s => s.points.map(p => p.t)))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const ys = series.map(s => {
      const column = xs.map(() => null);
      for (const p of s.points) column[index.get(p.t)] = p.value;
      return column;
    });
    const label = HISTORY_FIELDS.find(([f]) => f === field)[1];
    chartBox.replaceChildren(
      el('h2', {}, el('span', { id: 'history-title', text: `${symbol} · ${label}` })),
      el('p', { class: 'hint', text: `${series.reduce((n, s) => n + s.points.length, 0)} archived books in the last ${days} day(s). Click a point to open its book.` }));
    const chart = new uPlot({
      width: Math.max(320, chartBox.getBoundingClientRect().width || 800), height: 320,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      axes: [{}, { label, size: 80, values: (u, splits) => splits.map(compact) }],
      series: [{ label: 'time' }, ...series.map((s, i) => ({
        label: s.exchange, stroke: HISTORY_COLOURS[i % HISTORY_COLOURS.length], width: 2, spanGaps: true, points: { show: true, size: 7 },
      }))],
    }, [xs, ...ys], chartBox);
    cleanups.push(() => chart.destroy());

    // A click opens the book behind the point nearest the cursor, among the exchanges with one at that time.
    let bookChart = null;
    cleanups.push(() => bookChart && bookChart.destroy());
    chart.over.addEventListener('click', () => {
      const idx = chart.cursor.idx;
      if (idx === null || idx === undefined) return;
      const nearest = series.map((s, i) => ({ s, v: ys[i][idx] })).filter(c => c.v !== null)
        .map(c => ({ ...c, distance: Math.abs(chart.valToPos(c.v, 'y') - chart.cursor.top) }))
        .sort((a, b) => a.distance - b.distance)[0];
      if (nearest) openBook(nearest.s.exchange, xs[idx]).catch(error => archived.replaceChildren(el('p', { class: 'error', text: `Could not load: ${error.message}` })));
    });

    async function openBook(exchange, seconds) {
      const b = await getJson(`../api/history/${encodeURIComponent(exchange)}/${encodeURIComponent(symbol)}/book?at=${Math.round(seconds * 1000)}`);
      if (bookChart) { bookChart.destroy(); bookChart = null; }
      if (!b) { archived.replaceChildren(el('p', { class: 'empty', text: 'No archived book at that time.' })); return; }
      const box = el('div', { class: 'book' });
      archived.replaceChildren(box);
      bookChart = renderBook(box, b.exchange, b.symbol, b,
        fact('Archived from sweep', {}, el('a', { href: `#/sweeps/${b.sweepId}`, id: 'archived-sweep', text: `#${b.sweepId}` })),
        fact('Exchange timestamp', { text: b.exchangeTs ? time(b.exchangeTs) : 'not given' }),
        fact('Fetched at', { id: 'fetched-at', text: time(b.fetchedAt) }),
        fact('Market type', { text: b.marketType || '–' }));
    }
  }

  // One book into box: its title, the facts given, mid and spread, the depth chart and both
  // sides' levels. Returns the chart, to destroy before the box is drawn again.
  function renderBook(box, exchange, symbol, b, ...facts) {
    const chartBox = el('div', { id: 'depth-chart', class: 'chart' });
    const bestBid = b.bids.length ? b.bids[0][0] : null;
    const bestAsk = b.asks.length ? b.asks[0][0] : null;
    const mid = bestBid !== null && bestAsk !== null ? (bestBid + bestAsk) / 2 : null;
    box.replaceChildren(
      el('h2', {}, el('span', { id: 'book-title', text: `${exchange} · ${symbol}` })),
      el('dl', { class: 'stats inline', id: 'book-facts' }, ...facts,
        fact('Mid', { text: num(mid) }),
        fact('Spread', { text: mid === null ? '–' : num(bestAsk - bestBid) })),
      chartBox,
      el('div', { class: 'levels' }, levelsTable('Bids', b.bids, 'bids'), levelsTable('Asks', b.asks, 'asks')));
    return depthChart(chartBox, b.bids, b.asks);
  }

  const fact = (label, props, ...children) => el('div', {}, el('dt', { text: label }), el('dd', props, ...children));

  function levelsTable(title, levels, id) {
    let total = 0;
    return el('table', { class: `grid levels-${id}`, id: `levels-${id}` },
      el('caption', { text: `${title} (${levels.length})` }),
      el('thead', {}, el('tr', {}, el('th', { text: 'Price' }), el('th', { text: 'Amount' }), el('th', { text: 'Cumulative' }))),
      el('tbody', {}, levels.map(([price, amount]) => {
        total += amount;
        return el('tr', {}, el('td', { class: 'n', text: num(price) }), el('td', { class: 'n', text: num(amount) }), el('td', { class: 'n', text: num(total) }));
      })));
  }

  // Cumulative depth on each side of the mid: bids summed from the best bid down, asks from the
  // best ask up, drawn as steps on one price axis.
  function depthChart(box, bids, asks) {
    const bidSide = [];
    let sum = 0;
    for (const [price, amount] of bids) { sum += amount; bidSide.push([price, sum]); }
    bidSide.reverse();
    const askSide = [];
    sum = 0;
    for (const [price, amount] of asks) { sum += amount; askSide.push([price, sum]); }
    const xs = [...bidSide.map(l => l[0]), ...askSide.map(l => l[0])];
    const bidYs = [...bidSide.map(l => l[1]), ...askSide.map(() => null)];
    const askYs = [...bidSide.map(() => null), ...askSide.map(l => l[1])];
    const width = Math.max(320, box.getBoundingClientRect().width || 800);
    return new uPlot({
      width, height: 300,
      scales: { x: { time: false } },
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      axes: [{ label: 'price', space: 110 }, { label: 'cumulative amount', size: 70 }],
      series: [
        { label: 'price' },
        { label: 'bids', points: { show: false }, stroke: '#1a7f37', fill: 'rgba(26,127,55,0.18)', width: 2, paths: uPlot.paths.stepped({ align: -1 }) },
        { label: 'asks', points: { show: false }, stroke: '#cf222e', fill: 'rgba(207,34,46,0.18)', width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
      ],
    }, [xs, bidYs, askYs], box);
  }

  // Dead-letter count in the nav, from the API (cheap: one capped list).
  async function refreshDeadCount() {
    try {
      const page = await getJson('../api/deadletters?limit=1');
      document.getElementById('dead-count').textContent = page.total ? String(page.total) : '';
    } catch { /* shown again on the next tick */ }
  }

  window.addEventListener('hashchange', route);
  connectActivity();
  route();
  refreshDeadCount();
  setInterval(refreshDeadCount, 5000);
})();
