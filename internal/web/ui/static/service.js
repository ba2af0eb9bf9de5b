// guichet — the ticket's customer-service card: h marks handled (or
// reopens), f goes to « Transférer à », u answers the next unread message;
// « quelqu'un d'autre » shows the address field; the order's timeline is
// fetched after the page loads; #reply opens on the reply box.
'use strict';
(function () {
  const g = window.guichet;
  const card = document.getElementById('service');
  if (!g || !card) return;
  const agent = document.getElementById('forward-agent');
  const emailField = document.getElementById('forward-email-field');
  const assignField = document.getElementById('forward-assign-field');
  const sync = () => {
    const outside = agent && agent.value === '0';
    if (emailField) emailField.hidden = !outside;
    if (assignField) assignField.hidden = outside;
  };
  if (agent) { agent.addEventListener('change', sync); sync(); }

  g.onKey((e) => {
    if (g.typingTarget(e) || e.ctrlKey || e.metaKey || e.altKey || document.querySelector('dialog[open]')) return false;
    switch (e.key) {
      case 'h': {
        const b = document.getElementById('handled-btn') || document.getElementById('reopen-btn');
        if (b) b.click();
        return !!b;
      }
      case 'f': if (agent) { agent.focus(); return true; } return false;
      case 'u': { const a = document.getElementById('reply-next'); if (a) a.click(); return !!a; }
    }
    return false;
  });

  // After load: the browser's own move to the #reply fragment comes first.
  if (location.hash === '#reply') {
    window.addEventListener('load', () => {
      const body = document.getElementById('reply-body');
      if (body) { body.focus(); body.setSelectionRange(body.value.length, body.value.length); }
    });
  }

  const tl = document.getElementById('timeline');
  if (tl && tl.dataset.timeline) {
    g.fragment(tl.dataset.timeline).then((doc) => {
      const body = doc.getElementById('timeline-body');
      if (body) tl.replaceChildren(body);
    }).catch(() => { tl.textContent = g.t('timeline_failed'); });
  }
})();
