// guichet — a new channel's form: « Place de marché » fills the kind, the
// name and the guard's names from the preset chosen (the server fills
// what is left empty too, and the API address once the channel is saved);
// « Commandes dans le back-office » is hidden for kinds that are no
// marketplace.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const preset = $('preset'), kind = $('kind'), bo = $('backoffice');
  function toggle() {
    if (bo) bo.hidden = (bo.dataset.hideKinds || '').split(' ').includes(kind.value);
  }
  if (preset) {
    preset.addEventListener('change', () => {
      const o = preset.selectedOptions[0];
      if (!o || !o.value) return;
      kind.value = o.dataset.kind;
      $('name').value = o.dataset.name;
      $('guard_names').value = o.dataset.guard;
      toggle();
    });
  }
  kind.addEventListener('change', toggle);
  toggle();
})();
