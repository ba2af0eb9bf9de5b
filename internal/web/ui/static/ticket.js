// guichet — the ticket page: thread tabs, the responsible type-ahead, default
// replies (picker and list), the status choice, the other-marketplace guard
// before sending, typing pings and live refresh of messages and history.
'use strict';
(function () {
  const g = window.guichet;
  const page = document.querySelector('.ticket-page');
  if (!page) return;
  const data = JSON.parse(document.getElementById('ticket-data').textContent);
  const ticketID = data.id;
  const form = document.getElementById('reply');
  const body = document.getElementById('reply-body');
  const templateID = document.getElementById('reply-template-id');
  const confirmed = document.getElementById('reply-confirmed');
  const $ = (id) => document.getElementById(id);

  // ---- Thread tabs: the reply goes to the selected thread.
  let activeTab = (document.querySelector('#threads [role=tab][aria-selected=true]') || {}).dataset?.tab;
  let replyTab = activeTab;

  function showTab(key, focus) {
    const tabs = Array.from(document.querySelectorAll('#threads [role=tab]'));
    let tab = tabs.find((t) => t.dataset.tab === key) || tabs[0];
    if (!tab) return;
    tabs.forEach((t) => {
      const on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      const panel = $('panel-' + t.dataset.tab);
      if (panel) panel.hidden = !on;
    });
    activeTab = tab.dataset.tab;
    if (tab.dataset.threadKind !== undefined) {
      replyTab = activeTab;
      $('reply-thread-id').value = tab.dataset.threadId && tab.dataset.threadId !== '0' ? tab.dataset.threadId : '';
      $('reply-thread-kind').value = tab.dataset.threadKind || 'customer';
      $('reply-thread-label').textContent = tab.dataset.label || tab.textContent;
    }
    if (focus) tab.focus();
  }

  function bindTabs() {
    document.querySelectorAll('#threads [role=tab]').forEach((t) => {
      t.addEventListener('click', () => showTab(t.dataset.tab));
      t.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { e.preventDefault(); cycleTab(e.key === 'ArrowRight' ? 1 : -1); }
      });
    });
    showTab(activeTab);
  }

  function cycleTab(step) {
    const tabs = Array.from(document.querySelectorAll('#threads [role=tab]:not([hidden])'));
    const i = tabs.findIndex((t) => t.dataset.tab === activeTab);
    showTab(tabs[(i + step + tabs.length) % tabs.length].dataset.tab, true);
  }

  // ---- Responsible: type a name, Enter validates (and saves).
  function bindCombo() {
    const input = $('p-assignee');
    const hidden = $('p-assignee-id');
    const list = $('p-assignee-list');
    if (!input) return;
    let matches = [], active = 0;
    const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const render = () => {
      list.innerHTML = '';
      if (!matches.length) {
        const li = document.createElement('li');
        li.className = 'none';
        li.textContent = g.t('no_agent');
        list.append(li);
      }
      matches.forEach((a, i) => {
        const li = document.createElement('li');
        li.id = 'agent-opt-' + a.id;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', i === active ? 'true' : 'false');
        li.textContent = a.name;
        li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(a, true); });
        list.append(li);
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      if (matches[active]) input.setAttribute('aria-activedescendant', 'agent-opt-' + matches[active].id);
    };
    const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); };
    const choose = (a, save) => {
      input.value = a.name;
      hidden.value = a.id;
      close();
      if (save) $('params').requestSubmit();
    };
    input.addEventListener('input', () => {
      const q = fold(input.value.trim());
      hidden.value = '';
      matches = data.agents.filter((a) => { const n = fold(a.name); return n.startsWith(q) || n.includes(' ' + q); });
      active = 0;
      if (q === '') { close(); return; }
      render();
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (list.hidden) { matches = data.agents.slice(); active = 0; render(); e.preventDefault(); return; }
        active = (active + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % Math.max(1, matches.length);
        render(); e.preventDefault();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (!list.hidden && matches[active]) choose(matches[active], true);
        else $('params').requestSubmit(); // an empty name: nobody; a typed one: the server resolves it
      } else if (e.key === 'Escape' && !list.hidden) { e.preventDefault(); e.stopPropagation(); close(); }
    });
    input.addEventListener('blur', () => setTimeout(close, 100));
  }

  // ---- Default replies.
  function insertTemplate(tpl, status) {
    if (!tpl) return;
    const start = body.selectionStart, end = body.selectionEnd;
    if (body.value.trim() === '') body.value = tpl.text;
    else body.value = body.value.slice(0, start) + tpl.text + body.value.slice(end);
    templateID.value = tpl.id;
    const select = $('reply-template');
    if (select) select.value = String(tpl.id);
    if (status) setStatus(status);
    checkMissing();
    body.focus();
    pingTyping();
  }

  const templateSelect = $('reply-template');
  if (templateSelect) templateSelect.addEventListener('change', () => {
    const tpl = data.templates.find((x) => String(x.id) === templateSelect.value);
    if (tpl) insertTemplate(tpl);
  });

  const picker = $('template-picker');
  const pickerFilter = $('picker-filter');
  const pickerList = $('picker-list');
  let pickerMatches = [], pickerActive = 0;
  function renderPicker() {
    const q = pickerFilter.value.trim().toLowerCase();
    pickerMatches = data.templates.filter((x) => x.name.toLowerCase().includes(q) || x.text.toLowerCase().includes(q));
    pickerActive = Math.min(pickerActive, Math.max(0, pickerMatches.length - 1));
    pickerList.innerHTML = '';
    if (!pickerMatches.length) {
      const li = document.createElement('li');
      li.textContent = g.t('no_match');
      pickerList.append(li);
    }
    pickerMatches.forEach((x, i) => {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.id = 'tpl-opt-' + x.id;
      li.setAttribute('aria-selected', i === pickerActive ? 'true' : 'false');
      const name = document.createElement('strong');
      name.textContent = x.name;
      const prev = document.createElement('span');
      prev.className = 'prev';
      prev.textContent = x.text;
      li.append(name, prev);
      if (x.missing && x.missing.length) {
        const warn = document.createElement('span');
        warn.className = 'warn';
        warn.textContent = g.t('missing_short', x.missing.map((v) => '{' + v + '}').join(', '));
        li.append(warn);
      }
      li.addEventListener('click', () => { picker.close(); insertTemplate(x, 'waiting_customer'); });
      pickerList.append(li);
      if (i === pickerActive) { li.scrollIntoView({ block: 'nearest' }); pickerFilter.setAttribute('aria-activedescendant', li.id); }
    });
  }
  function openPicker() {
    if (!picker || !data.templates.length) return;
    pickerFilter.value = '';
    pickerActive = 0;
    renderPicker();
    picker.showModal();
    pickerFilter.focus();
  }
  if (picker) {
    pickerFilter.addEventListener('input', () => { pickerActive = 0; renderPicker(); });
    pickerFilter.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = Math.max(1, pickerMatches.length);
        pickerActive = (pickerActive + (e.key === 'ArrowDown' ? 1 : -1) + n) % n;
        renderPicker();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        const tpl = pickerMatches[pickerActive];
        if (!tpl) return;
        // The status is the agent's explicit choice: each key says which (see the footer).
        const status = e.altKey ? '' : (e.shiftKey ? 'closed' : 'waiting_customer');
        picker.close();
        insertTemplate(tpl, status);
      }
    });
  }

  // ---- Status: required, never preselected.
  const statusError = $('err-status');
  function setStatus(value) {
    const r = document.querySelector('#reply-status input[value="' + value + '"]');
    if (!r) return;
    r.checked = true;
    statusError.hidden = true;
    $('reply-status').classList.remove('need', 'has-error');
  }
  document.querySelectorAll('#reply-status input').forEach((r) => r.addEventListener('change', () => {
    statusError.hidden = true;
    $('reply-status').classList.remove('need', 'has-error');
  }));
  const statusKeys = { 1: 'waiting_admin', 2: 'waiting_customer', 3: 'closed' };

  // ---- Variables without a value block the send.
  const known = new Set(data.variables);
  function missingVariables() {
    const out = [];
    for (const m of body.value.matchAll(/\{([a-z_]+)\}/g)) {
      if (known.has(m[1]) && !out.includes(m[1])) out.push(m[1]);
    }
    return out;
  }
  function checkMissing() {
    const miss = missingVariables();
    const box = $('missing-vars');
    box.hidden = miss.length === 0;
    box.textContent = miss.length ? g.t('missing', miss.map((v) => '{' + v + '}').join(', ')) : '';
    if (miss.length) { body.setAttribute('aria-invalid', 'true'); body.setAttribute('aria-describedby', 'missing-vars'); }
    else if (!$('err-body')) { body.removeAttribute('aria-invalid'); body.removeAttribute('aria-describedby'); }
    return miss;
  }
  body.addEventListener('input', () => { checkMissing(); pingTyping(); });

  // ---- Attachments: a green « + » adds a row (file + optional type).
  let fileRows = 1;
  const addFile = $('add-file');
  if (addFile) addFile.addEventListener('click', () => {
    const first = document.querySelector('[data-att-row]');
    if (document.querySelectorAll('[data-att-row]').length >= 10) return;
    fileRows++;
    const row = first.cloneNode(true);
    row.querySelectorAll('select, input').forEach((el) => {
      const base = el.name.replace(/_\d+$/, '');
      el.name = base + '_' + fileRows;
      el.id = base + '_' + fileRows;
      el.value = '';
    });
    row.querySelectorAll('label').forEach((l) => {
      const base = l.htmlFor.replace(/_\d+$/, '');
      l.htmlFor = base + '_' + fileRows;
      l.textContent = l.textContent.replace(/\d+$/, String(fileRows));
    });
    const plus = row.querySelector('.add-file');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove-file';
    remove.textContent = '×';
    remove.setAttribute('aria-label', g.t('remove_file'));
    remove.title = g.t('remove_file');
    remove.addEventListener('click', () => row.remove());
    plus.replaceWith(remove);
    const rows = document.querySelectorAll('[data-att-row]');
    rows[rows.length - 1].after(row);
    row.querySelector('select').focus();
  });

  function resetAttachments() {
    document.querySelectorAll('[data-att-row]').forEach((r, i) => {
      if (i > 0) r.remove();
      else r.querySelectorAll('select, input').forEach((el) => { el.value = ''; });
    });
    fileRows = 1;
    $('err-attachments').hidden = true;
  }

  // ---- Sending: local checks, then the guard (ask), then the real send.
  const guard = $('guard-dialog');
  let sending = false;

  function hitText(h) {
    if (h.kind === 'marketplace') return g.t('marketplace', h.text, h.channel);
    return g.t(h.kind, h.text);
  }

  function askGuard(hits) {
    return new Promise((resolve) => {
      const list = $('guard-hits');
      list.innerHTML = '';
      hits.forEach((h) => { const li = document.createElement('li'); li.textContent = hitText(h); list.append(li); });
      const done = (ok) => {
        $('guard-cancel').onclick = $('guard-confirm').onclick = null;
        guard.onclose = null;
        if (guard.open) guard.close();
        resolve(ok);
      };
      $('guard-cancel').onclick = () => done(false);
      $('guard-confirm').onclick = () => done(true);
      guard.onclose = () => done(false);
      guard.showModal();
      $('guard-cancel').focus();
    });
  }

  function showFieldError(field, message) {
    if (field === 'status') { statusError.textContent = message; statusError.hidden = false; $('reply-status').classList.add('need'); return; }
    if (field.startsWith('attachments')) { const a = $('err-attachments'); a.textContent = message; a.hidden = false; return; }
    const box = $('missing-vars');
    box.textContent = message;
    box.hidden = false;
    body.setAttribute('aria-invalid', 'true');
  }

  async function send() {
    if (sending) return;
    const status = form.querySelector('input[name=status]:checked');
    if (!status) {
      showFieldError('status', g.t('status_needed'));
      form.querySelector('#reply-status input').focus();
      return;
    }
    const hasFile = Array.from(form.querySelectorAll('input[type=file]')).some((f) => f.files.length);
    if (body.value.trim() === '' && !hasFile) { showFieldError('body', g.t('empty')); body.focus(); return; }
    if (checkMissing().length) { body.focus(); return; }
    sending = true;
    const sendBtn = $('send-btn');
    sendBtn.disabled = true;
    try {
      let confirm = false;
      const check = await g.post('/api/v1/tickets/' + ticketID + '/check', JSON.stringify({ body: body.value }),
        { 'Content-Type': 'application/json', Accept: 'application/json' });
      if (check.ok) {
        const c = await check.json();
        if (c.hits && c.hits.length) {
          if (!(await askGuard(c.hits))) { body.focus(); return; } // Cancel: the text stays, nothing is sent
          confirm = true;
        }
      }
      await post(confirm);
    } catch (err) {
      g.banner(g.t('network'));
    } finally {
      sending = false;
      sendBtn.disabled = false;
    }
  }

  async function post(confirm) {
    confirmed.value = confirm ? '1' : '';
    const res = await g.post(form.action, new FormData(form), { Accept: 'application/json' });
    if (res.status === 401) { location.href = '/login'; return; }
    if (res.status === 201) {
      body.value = '';
      templateID.value = '';
      confirmed.value = '';
      if (templateSelect) templateSelect.value = '';
      form.querySelectorAll('input[name=status]').forEach((r) => { r.checked = false; });
      resetAttachments();
      checkMissing();
      const box = $('guard-server');
      if (box) box.remove();
      g.banner('');
      flash(g.t('sent'));
      await refresh();
      // Nothing left to type: leave the box so that n, t, r work at once.
      const tab = document.querySelector('#threads [role=tab][aria-selected=true]');
      if (tab) tab.focus(); else body.blur();
      return;
    }
    let e = {};
    try { e = (await res.json()).error || {}; } catch (_) { /* not JSON */ }
    if (e.code === 'confirm' && Array.isArray(e.details)) {
      // The server's guard saw what the check did not (the text changed meanwhile).
      if (await askGuard(e.details)) await post(true);
      return;
    }
    if (e.code === 'invalid' || e.code === 'too_large') {
      const f = e.field || '';
      showFieldError(f === 'status' || f.startsWith('attachments') ? f : 'body', e.message);
      return;
    }
    g.banner(g.t('send_failed', e.message || res.status));
  }

  function flash(msg) {
    let n = document.querySelector('.notice');
    if (!n) { n = document.createElement('p'); n.className = 'notice'; n.setAttribute('role', 'status'); $('main').before(n); }
    n.textContent = msg;
  }

  form.addEventListener('submit', (e) => {
    if (confirmed.value === '1' && $('guard-server')) return; // the no-script confirm path, already asked
    e.preventDefault();
    send();
  });

  // ---- "Is replying": ping while the reply box changes; show others' pings.
  let lastPing = 0;
  function pingTyping() {
    const now = Date.now();
    if (now - lastPing < 3000) return;
    lastPing = now;
    g.post('/tickets/' + ticketID + '/typing', null).catch(() => {});
  }
  const typers = new Map();
  function renderTyping() {
    const now = Date.now();
    for (const [id, t] of typers) if (t.until < now) typers.delete(id);
    const el = $('typing');
    const names = Array.from(typers.values()).map((t) => t.name);
    el.hidden = names.length === 0;
    el.textContent = names.length > 1 ? g.t('typing_many', names.join(g.t('and'))) : (names.length ? g.t('typing', names[0]) : '');
  }
  g.on('typing', (e) => {
    if (e.ticket_id !== ticketID || e.agent_id === data.me) return;
    typers.set(e.agent_id, { name: e.agent_name, until: Date.now() + 8000 });
    renderTyping();
  });
  setInterval(renderTyping, 1000);

  // ---- Live refresh of the parts others change.
  function paramsDirty() {
    const p = $('params');
    if (!p) return false;
    if (p.contains(document.activeElement)) return true;
    return Array.from(p.elements).some((el) => {
      if (el.type === 'hidden' || el.tagName === 'BUTTON') return false;
      if (el.tagName === 'SELECT') return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
      return el.value !== el.defaultValue;
    });
  }
  async function refresh() {
    const doc = await g.fragment(page.dataset.live);
    for (const id of ['ticket-status', 'history', 'threads']) {
      const fresh = doc.getElementById(id), old = $(id);
      if (fresh && old) old.replaceWith(fresh);
    }
    if (!paramsDirty()) {
      const fresh = doc.getElementById('params');
      if (fresh) { $('params').replaceWith(fresh); bindCombo(); }
    } else {
      g.banner(g.t('changed_by'));
    }
    const keepReply = replyTab;
    bindTabs();
    if (activeTab !== keepReply && document.querySelector('[data-tab="' + keepReply + '"]')) {
      const a = activeTab; showTab(keepReply); showTab(a);
    }
  }
  const liveRefresh = g.debounce(() => refresh().catch(() => {}), 250);
  g.on('change', (e) => { if (e.ticket_id === ticketID) liveRefresh(); });
  g.on('reconnect', liveRefresh);

  // ---- Shortcuts of the ticket page.
  g.onKey((e) => {
    const inDialog = document.querySelector('dialog[open]');
    if (inDialog) return false;
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      if (e.target.id === 'note-body') { $('note').requestSubmit(); return true; }
      if (e.target.closest && e.target.closest('#params')) { $('params').requestSubmit(); return true; }
      send();
      return true;
    }
    if (e.altKey && statusKeys[e.key]) { setStatus(statusKeys[e.key]); return true; }
    if (g.typingTarget(e) || e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case 'r': body.focus(); return true;
      case 't': openPicker(); return true;
      case 'e': $('p-assignee').focus(); $('p-assignee').select(); return true;
      case '[': cycleTab(-1); return true;
      case ']': cycleTab(1); return true;
    }
    if (statusKeys[e.key]) { setStatus(statusKeys[e.key]); return true; }
    return false;
  });

  // Values the page learns after it loads ({lien_suivi} from the channel's
  // order, see actions.js) fill the default replies still missing them.
  g.fillVariable = (name, value) => {
    if (!value) return;
    for (const tpl of data.templates) {
      if (!tpl.missing || !tpl.missing.includes(name)) continue;
      tpl.text = tpl.text.split('{' + name + '}').join(value);
      tpl.missing = tpl.missing.filter((v) => v !== name);
    }
  };
  g.refreshTicket = liveRefresh;

  bindTabs();
  bindCombo();
  // A link to one message (#m-ID, as « Afficher » the remote images) opens
  // the tab it is in.
  const linked = location.hash.startsWith('#m-') && document.getElementById(location.hash.slice(1));
  const linkedPanel = linked && linked.closest('[data-panel]');
  if (linkedPanel && linkedPanel.hidden) { showTab(linkedPanel.dataset.panel); linked.scrollIntoView(); }
  checkMissing();
})();
