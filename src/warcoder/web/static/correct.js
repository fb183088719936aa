// Correcting an event in the detail panel (issue 22): shown when the server takes writes (--allow-ingest).
// The form sends only the fields the analyst changed to POST /api/events/{id}/corrections with the ingest
// token, which is kept for this tab only (sessionStorage).  Corrections are stored beside the coded event,
// never over it; `warcoder export --corrections` turns them into training data.
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function field(form, label, input) {
    var l = el('label', 'fix-field');
    l.appendChild(el('span', null, label));
    l.appendChild(input);
    form.appendChild(l);
    return input;
  }

  function input(name, type, value) {
    var i = el('input');
    i.name = name;
    i.type = type || 'text';
    if (value !== undefined && value !== null) i.value = String(value);
    return i;
  }

  function listCorrections(box, list) {
    var old = box.querySelector('.corrections');
    if (old) old.remove();
    if (!list || !list.length) return;
    var sec = el('section', 'corrections');
    sec.appendChild(el('h3', null, 'Corrections'));
    var ul = el('ul');
    list.forEach(function (c) {
      var parts = Object.keys(c.changes).filter(function (k) { return k !== 'event_type'; })
        .map(function (k) { return k + ' → ' + c.changes[k]; });
      var li = el('li', null, c.who + ', ' + c.made_at.replace('T', ' ').replace('Z', ' UTC') + ': ' + parts.join('; '));
      li.dataset.correctionId = c.correction_id;
      ul.appendChild(li);
    });
    sec.appendChild(ul);
    box.appendChild(sec);
  }

  // box: the detail panel; ev: the event as coded; fixes: its stored corrections; subTypes: {type: [sub-types]}
  window.warcoderCorrect = function (box, ev, fixes, subTypes, enabled) {
    listCorrections(box, fixes);
    if (!enabled) return;
    var det = el('details', 'fix');
    det.appendChild(el('summary', null, 'Correct this event'));
    var form = el('form', 'fix-form');
    form.noValidate = true;
    var sub = el('select');
    sub.name = 'sub_event_type';
    Object.keys(subTypes || {}).forEach(function (t) {
      var g = el('optgroup');
      g.label = t;
      subTypes[t].forEach(function (s) { var o = el('option', null, s); o.value = s; g.appendChild(o); });
      sub.appendChild(g);
    });
    sub.value = ev.sub_event_type;
    field(form, 'Sub-type', sub);
    var a1 = field(form, 'Actor 1', input('actor1', 'text', ev.actor1));
    var a2 = field(form, 'Actor 2', input('actor2', 'text', ev.actor2));
    var loc = field(form, 'Location', input('location', 'text', ev.location));
    var day = field(form, 'Date', input('event_date', 'date', ev.event_date));
    var fat = field(form, 'Fatalities', input('fatalities', 'number', ev.fatalities));
    fat.min = '0';
    var none = field(form, 'Not an event', input('no_event', 'checkbox'));
    var who = field(form, 'Your name', input('who', 'text', sessionStorage.getItem('warcoder.who') || ''));
    var token = field(form, 'Ingest token', input('token', 'password', sessionStorage.getItem('warcoder.token') || ''));
    var note = el('textarea');
    note.name = 'note';
    note.rows = 2;
    field(form, 'Note', note);
    var send = el('button', null, 'Save correction');
    send.type = 'submit';
    form.appendChild(send);
    var status = el('p', 'fix-status');
    status.setAttribute('role', 'status');
    form.appendChild(status);
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      var body = { who: who.value.trim(), note: note.value };
      if (sub.value !== ev.sub_event_type) body.sub_event_type = sub.value;
      if (a1.value !== (ev.actor1 || '')) body.actor1 = a1.value;
      if (a2.value !== (ev.actor2 || '')) body.actor2 = a2.value;
      if (loc.value !== (ev.location || '')) body.location = loc.value;
      if (day.value && day.value !== (ev.event_date || '')) body.event_date = day.value;
      if (fat.value !== '' && Number(fat.value) !== ev.fatalities) body.fatalities = Number(fat.value);
      if (none.checked) body.no_event = true;
      if (Object.keys(body).length === 2) { status.textContent = 'Nothing changed.'; return; }
      if (!body.who) { status.textContent = 'Give your name.'; return; }
      sessionStorage.setItem('warcoder.who', body.who);
      sessionStorage.setItem('warcoder.token', token.value);
      status.textContent = 'Saving…';
      try {
        var r = await fetch('/api/events/' + encodeURIComponent(ev.event_id) + '/corrections', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token.value },
          body: JSON.stringify(body)
        });
        var out = await r.json().catch(function () { return {}; });
        if (!r.ok) { status.textContent = 'Not saved: ' + (out.detail || r.status); return; }
        fixes = (fixes || []).concat([out]);
        listCorrections(box, fixes);
        box.appendChild(det);  // keep the form below the list
        status.textContent = 'Saved: correction ' + out.correction_id + ' by ' + out.who + '.';
        status.dataset.saved = String(out.correction_id);
      } catch (err) {
        status.textContent = 'Not saved: ' + err.message;
      }
    });
    det.appendChild(form);
    box.appendChild(det);
  };
})();
