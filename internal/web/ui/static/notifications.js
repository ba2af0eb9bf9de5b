// guichet — the bell: the agent's unread notifications, counted at load and
// again whenever the event stream says they got one (kind "notified").
'use strict';
(function () {
  const g = window.guichet;
  const count = document.getElementById('bell-count');
  if (!g || !count) return;
  const me = document.body.dataset.agent;
  const refresh = async () => {
    try {
      const res = await fetch('/notifications/count', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!res.ok) return;
      const { unread } = await res.json();
      count.textContent = unread > 99 ? '99+' : String(unread);
      count.hidden = !unread;
      document.getElementById('bell').dataset.unread = String(unread);
    } catch (_) { /* the next event tries again */ }
  };
  g.on('change', (c) => { if (c.kind === 'notified' && String(c.agent_id) === me) refresh(); });
  g.on('reconnect', refresh);
  refresh();
})();
