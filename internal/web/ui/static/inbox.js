// guichet — the inbox: j/k to move, Enter to open, rows and counters kept
// fresh from the live event stream.
'use strict';
(function () {
  const g = window.guichet;
  const root = document.querySelector('.inbox');
  if (!root) return;
  let selectedID = null;

  const rows = () => Array.from(document.querySelectorAll('#tickets tbody tr'));

  function select(i, focus) {
    const rs = rows();
    if (!rs.length) { selectedID = null; return; }
    i = Math.max(0, Math.min(rs.length - 1, i));
    rs.forEach((r) => r.classList.remove('selected'));
    const r = rs[i];
    r.classList.add('selected');
    selectedID = r.dataset.id;
    if (focus) { r.querySelector('a.rowlink').focus({ preventScroll: true }); r.scrollIntoView({ block: 'nearest' }); }
  }

  function current() {
    return rows().findIndex((r) => r.dataset.id === selectedID);
  }

  function bindRows() {
    rows().forEach((r) => r.addEventListener('click', (e) => {
      if (e.target.closest('a')) return;
      location.href = r.dataset.href;
    }));
    const i = current();
    select(i < 0 ? 0 : i, false);
  }

  g.onKey((e) => {
    if (g.typingTarget(e) || e.ctrlKey || e.metaKey || e.altKey || document.querySelector('dialog[open]')) return false;
    switch (e.key) {
      case 'j': case 'ArrowDown':
        if (e.key === 'ArrowDown' && !e.target.closest('#tickets')) return false;
        select(current() + 1, true); return true;
      case 'k': case 'ArrowUp':
        if (e.key === 'ArrowUp' && !e.target.closest('#tickets')) return false;
        select(current() - 1, true); return true;
      case 'Enter': case 'o': {
        if (e.key === 'Enter' && e.target.closest('a, button')) return false;
        const r = rows()[current()];
        if (r) { location.href = r.dataset.href; return true; }
        return false;
      }
    }
    return false;
  });

  // Live: refetch this very view (same filters, same page) after changes.
  const refresh = g.debounce(async () => {
    try {
      const doc = await g.fragment(root.dataset.live);
      for (const id of ['counters', 'inbox-rows']) {
        const fresh = doc.getElementById(id);
        const old = document.getElementById(id);
        if (fresh && old) old.replaceWith(fresh);
      }
      bindRows();
    } catch (_) { /* the next change or reconnect tries again */ }
  }, 300);
  g.on('change', refresh);
  g.on('reconnect', refresh);
  bindRows();
})();
