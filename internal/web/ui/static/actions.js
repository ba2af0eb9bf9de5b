// guichet — the ticket's channel: the integrations panel (« Backoffice »,
// « Suivi colis ») fetched after the page loads, {lien_suivi} from the
// order's parcel, and « Choisir une action » (a menu, a dialog for the
// action's fields, a confirmation, the channel's answer).
'use strict';
(function () {
  const g = window.guichet;
  const $ = (id) => document.getElementById(id);
  const section = document.querySelector('[data-integrations]');
  if (!section) return;
  const ticketID = document.querySelector('.ticket-page').dataset.ticket;
  const btn = $('actions-btn'), menu = $('actions-menu'), dialog = $('action-dialog');
  let actions = [];

  // ---- The panels: a fragment with a short time limit.
  function panelError(msg) {
    for (const id of ['int-backoffice', 'int-parcels']) {
      const p = $(id).querySelector('p');
      if (p) { p.textContent = msg; p.classList.add('error'); }
    }
  }
  async function load() {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 8000);
    try {
      const res = await fetch(section.dataset.integrations, { credentials: 'same-origin', signal: ctrl.signal, headers: { 'X-Requested-With': 'fetch' } });
      if (!res.ok) { panelError(g.t('int_failed', 'HTTP ' + res.status)); return; }
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const id of ['int-backoffice', 'int-parcels']) {
        const fresh = doc.getElementById(id);
        if (fresh) $(id).replaceWith(document.importNode(fresh, true));
      }
      const data = JSON.parse((doc.getElementById('int-data') || {}).textContent || '{}');
      if (g.fillVariable && data.tracking_url) g.fillVariable('lien_suivi', data.tracking_url);
      // The Email thread is offered once the order is known to the back
      // office (the page rendered its tab hidden until then).
      const emailTab = $('tab-email');
      if (emailTab && data.email_thread) emailTab.hidden = false;
      propose('p-delivery', data.delivered, data.delivered_label);
      propose('p-email', data.email, data.email);
      actions = data.actions || [];
      buildMenu();
    } catch (e) {
      panelError(e.name === 'AbortError' ? g.t('int_timeout') : g.t('int_failed', e.message));
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- « Proposer : 03/03/2026 » next to a ticket's field the back office
  // knows: a click fills it; the agent still saves it.
  function propose(id, value, label) {
    const input = $(id);
    if (!input || !value || input.value === value) return;
    const old = $(id + '-propose');
    if (old) old.remove();
    const b = document.createElement('button');
    b.type = 'button'; b.className = 'btn small propose'; b.id = id + '-propose';
    b.textContent = g.t('propose', label); b.title = g.t('propose_title');
    b.addEventListener('click', () => {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
      b.remove();
      input.focus();
    });
    input.after(b);
  }

  // ---- The menu.
  function buildMenu() {
    menu.innerHTML = '';
    for (const a of actions) {
      const li = document.createElement('li');
      li.setAttribute('role', 'none');
      const item = document.createElement(a.url ? 'a' : 'button');
      item.setAttribute('role', 'menuitem');
      item.className = 'menu-item';
      item.dataset.action = a.id;
      item.textContent = a.label + (a.url ? ' ↗' : '');
      if (a.url) {
        item.href = a.url; item.target = '_blank'; item.rel = 'noopener noreferrer';
        item.addEventListener('click', () => closeMenu());
      } else {
        item.type = 'button';
        item.addEventListener('click', () => { closeMenu(); openAction(a); });
      }
      li.append(item);
      menu.append(li);
    }
    btn.hidden = actions.length === 0;
  }
  function openMenu() {
    if (btn.hidden) return;
    menu.hidden = false;
    btn.setAttribute('aria-expanded', 'true');
    const first = menu.querySelector('[role="menuitem"]');
    if (first) first.focus();
  }
  function closeMenu() { menu.hidden = true; btn.setAttribute('aria-expanded', 'false'); }
  btn.addEventListener('click', () => (menu.hidden ? openMenu() : closeMenu()));
  menu.addEventListener('keydown', (e) => {
    const items = Array.from(menu.querySelectorAll('[role="menuitem"]'));
    const i = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length].focus();
    } else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeMenu(); btn.focus(); }
  });
  document.addEventListener('click', (e) => { if (!menu.hidden && !e.target.closest('.actions-pick')) closeMenu(); });
  g.onKey((e) => {
    if (document.querySelector('dialog[open]') || g.typingTarget(e) || e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key === 'a' && !btn.hidden) { openMenu(); return true; }
    return false;
  });

  // ---- The dialog: fields, then the confirmation, then the answer.
  let current = null, step = 'fields';
  const form = $('action-form'), fields = $('action-fields'), confirmBox = $('action-confirm');
  const result = $('action-result'), runBtn = $('action-run'), orderBox = $('action-order');
  const cancelBtn = $('action-cancel');
  cancelBtn.dataset.label = cancelBtn.textContent;
  function done() { runBtn.hidden = true; step = 'done'; cancelBtn.textContent = g.t('action_close'); cancelBtn.focus(); }
  function field(p) {
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = 'ap-' + p.key;
    label.textContent = p.label + (p.required ? ' *' : '');
    let input;
    if (p.kind === 'select') {
      input = document.createElement('select');
      for (const o of p.options || []) {
        const opt = document.createElement('option');
        opt.value = o.value; opt.textContent = o.label;
        if (o.value === p.default) opt.selected = true;
        input.append(opt);
      }
    } else if (p.kind === 'long') {
      input = document.createElement('textarea');
      input.rows = 5;
      input.value = p.default || '';
    } else {
      input = document.createElement('input');
      input.type = 'text';
      input.value = p.default || '';
      if (p.kind === 'amount') { input.inputMode = 'decimal'; input.placeholder = '12,50'; }
    }
    input.id = 'ap-' + p.key; input.name = p.key;
    const err = document.createElement('p');
    err.className = 'field-error'; err.id = 'ap-err-' + p.key; err.hidden = true;
    wrap.append(label, input, err);
    return wrap;
  }
  function show(el, text, cls) { el.textContent = text; el.hidden = !text; el.className = cls || ''; }
  function openAction(a) {
    current = a; step = 'fields';
    $('action-title').textContent = a.label;
    fields.innerHTML = ''; orderBox.hidden = true; orderBox.innerHTML = '';
    for (const p of a.params || []) fields.append(field(p));
    show(confirmBox, ''); show(result, '');
    runBtn.hidden = false; runBtn.disabled = false;
    cancelBtn.textContent = cancelBtn.dataset.label;
    dialog.showModal();
    if (a.read_only && !(a.params || []).length) { run(); return; }
    if (!(a.params || []).length) { toConfirm(); return; }
    runBtn.textContent = runBtn.dataset.next;
    fields.querySelector('input, select').focus();
  }
  function valid() {
    let ok = true;
    for (const p of current.params || []) {
      const input = $('ap-' + p.key), err = $('ap-err-' + p.key);
      let msg = '';
      const v = input.value.trim();
      if (p.required && !v) msg = g.t('action_required', p.label);
      else if (p.kind === 'amount' && v && !/^\d{1,9}([.,]\d{1,2})?\s*€?$/.test(v.replace(/[\s\u00a0\u202f]/g, ''))) msg = g.t('action_amount', p.label);
      err.textContent = msg; err.hidden = !msg;
      input.setAttribute('aria-invalid', msg ? 'true' : 'false');
      if (msg && ok) { input.focus(); ok = false; }
    }
    return ok;
  }
  function toConfirm() {
    step = 'confirm';
    for (const el of fields.querySelectorAll('input, select')) el.disabled = true;
    show(confirmBox, current.confirm || current.label + ' ?', 'confirm');
    runBtn.textContent = g.t('action_confirm');
    runBtn.focus();
  }
  async function run() {
    step = 'running';
    const body = new FormData();
    for (const p of current.params || []) body.append(p.key, $('ap-' + p.key).value);
    runBtn.disabled = true;
    show(result, g.t('action_running'), 'muted');
    let res, data = {};
    try {
      res = await g.post('/tickets/' + ticketID + '/actions/' + encodeURIComponent(current.id), body, { Accept: 'application/json' });
      data = await res.json().catch(() => ({}));
    } catch (e) {
      show(result, g.t('network'), 'error'); runBtn.disabled = false; step = 'confirm';
      return;
    }
    if (res.ok) {
      show(result, g.t('action_done', data.message || ''), 'notice');
      if (data.order) { orderBox.innerHTML = ''; orderBox.append($('int-backoffice').cloneNode(true)); orderBox.firstChild.removeAttribute('id'); orderBox.hidden = false; }
      done();
      if (g.refreshTicket) g.refreshTicket();
      return;
    }
    const err = (data && data.error) || {};
    const fieldErr = err.field && $('ap-err-' + err.field);
    if (fieldErr) {
      for (const el of fields.querySelectorAll('input, select')) el.disabled = false;
      fieldErr.textContent = err.message; fieldErr.hidden = false;
      show(confirmBox, ''); show(result, ''); step = 'fields'; runBtn.disabled = false;
      runBtn.textContent = runBtn.dataset.next;
      return;
    }
    show(result, g.t('action_failed', err.message || ('HTTP ' + res.status)), 'error');
    done();
    if (g.refreshTicket) g.refreshTicket();
  }
  runBtn.dataset.next = runBtn.textContent;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (step === 'fields') { if (valid()) toConfirm(); } else if (step === 'confirm') run();
  });
  cancelBtn.addEventListener('click', () => dialog.close());

  load();
})();
