// guichet — what every page shares: the CSRF token for fetch(), labels,
// global shortcuts, the help overlay and the live event stream.
'use strict';
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const i18nNode = document.getElementById('i18n');
  const text = i18nNode ? JSON.parse(i18nNode.textContent || '{}') || {} : {};
  const listeners = {};
  const keyHandlers = [];

  const g = window.guichet = {
    csrf: meta ? meta.content : '',
    // t returns a label with %s / %d replaced by args, in order.
    t(key, ...args) {
      let s = text[key] || key;
      for (const a of args) s = s.replace(/%[sd]/, String(a));
      return s;
    },
    on(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    onKey(fn) { keyHandlers.push(fn); },
    // post sends a state-changing request with the session's CSRF token.
    post(url, body, headers) {
      return fetch(url, { method: 'POST', body, credentials: 'same-origin',
        headers: Object.assign({ 'X-CSRF-Token': g.csrf, 'X-Requested-With': 'fetch' }, headers || {}) });
    },
    // fragment fetches a piece of HTML and returns it parsed.
    async fragment(url) {
      const res = await fetch(url, { credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } });
      if (res.status === 401) { location.href = '/login'; throw new Error('signed out'); }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return new DOMParser().parseFromString(await res.text(), 'text/html');
    },
    banner(msg) {
      const b = document.getElementById('live-banner');
      if (!b) return;
      b.textContent = msg || '';
      b.hidden = !msg;
    },
    typingTarget(e) {
      const el = e.target;
      return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
    },
    debounce(fn, ms) {
      let timer;
      return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
    },
  };

  // Live updates: one stream per page; pages subscribe with guichet.on(type).
  // After a network error the browser reconnects by itself (after the
  // server's "retry:"); a refused stream (429: too many tabs for this
  // session; 401; 5xx) it closes for good, so the page tries again itself,
  // waiting longer each time instead of hammering the server.
  if (document.body.dataset.agent && document.body.dataset.agent !== '0' && window.EventSource) {
    let es = null;
    let broken = false;
    let refusals = 0;
    let retry = 0;
    const dispatch = (type) => (ev) => {
      let data = {};
      try { data = JSON.parse(ev.data); } catch (_) { return; }
      (listeners[type] || []).forEach((fn) => fn(data));
    };
    const connect = () => {
      es = new EventSource('/events');
      es.addEventListener('change', dispatch('change'));
      es.addEventListener('typing', dispatch('typing'));
      es.addEventListener('resync', () => { g.banner(g.t('resync')); location.reload(); });
      es.onopen = () => {
        refusals = 0;
        document.body.dataset.live = 'on'; // tests and styles can tell the stream is up
        if (broken) { broken = false; g.banner(''); (listeners.reconnect || []).forEach((fn) => fn()); }
      };
      es.onerror = () => {
        broken = true;
        document.body.dataset.live = 'off';
        g.banner(g.t('reconnecting'));
        if (es.readyState !== EventSource.CLOSED) return;
        es.close();
        // 5 s, 10 s, 20 s… up to 2 minutes, spread so that tabs do not retry together.
        const wait = Math.min(120000, 5000 * 2 ** refusals++) * (0.75 + Math.random() / 2);
        document.body.dataset.liveRetry = String(Math.round(wait));
        retry = setTimeout(connect, wait);
      };
    };
    connect();
    window.addEventListener('pagehide', () => { clearTimeout(retry); if (es) es.close(); });
  }

  // Help overlay.
  const help = document.getElementById('help');
  const openHelp = () => { if (help && !help.open) help.showModal(); };
  document.querySelectorAll('[data-help]').forEach((b) => b.addEventListener('click', openHelp));

  // Forms that ask before a destructive action (data-confirm).
  document.querySelectorAll('form[data-confirm]').forEach((f) => f.addEventListener('submit', (e) => {
    if (!window.confirm(f.dataset.confirm)) e.preventDefault();
  }));

  // Global shortcuts; a page's own handlers run first (guichet.onKey).
  let pendingG = false;
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented) return;
    for (const fn of keyHandlers) { if (fn(e)) { e.preventDefault(); return; } }
    if (e.key === 'Escape' && g.typingTarget(e)) { e.target.blur(); return; }
    if (g.typingTarget(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    if (pendingG) {
      pendingG = false;
      if (e.key === 'i') { e.preventDefault(); location.href = '/'; }
      return;
    }
    switch (e.key) {
      case '/': {
        const q = document.getElementById('search-q');
        if (q) { e.preventDefault(); q.focus(); q.select(); }
        break;
      }
      case '?': e.preventDefault(); openHelp(); break;
      case 'n': {
        e.preventDefault();
        const page = document.querySelector('[data-ticket]');
        location.href = '/next' + (page ? '?from=' + page.dataset.ticket : '');
        break;
      }
      case 'g': pendingG = true; setTimeout(() => { pendingG = false; }, 1200); break;
    }
  });
})();
