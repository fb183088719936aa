/* warcoder map page: plain JavaScript over the vendored Leaflet, Leaflet.markercluster and
 * topojson-client.  Every string that comes from a document is put into the page with
 * textContent (or as an attribute/property value), never parsed as HTML. */
(function () {
  'use strict';

  var TYPES = [
    { name: 'Battles', cls: 't-battles', color: '#c0392b' },
    { name: 'Explosions/Remote violence', cls: 't-explosions', color: '#e67e22' },
    { name: 'Violence against civilians', cls: 't-vac', color: '#8e44ad' },
    { name: 'Protests', cls: 't-protests', color: '#2e86c1' },
    { name: 'Riots', cls: 't-riots', color: '#16a085' },
    { name: 'Strategic developments', cls: 't-strategic', color: '#5d6d7e' }
  ];
  var OTHER = { name: 'Other', cls: 't-other', color: '#7f8c8d' };
  var TYPE_BY_NAME = {};
  TYPES.forEach(function (t) { TYPE_BY_NAME[t.name] = t; });
  var MAP_FIELDS = 'event_id,event_date,event_type,sub_event_type,location,country,latitude,longitude,fatalities,hedged';
  var MAP_LIMIT = 100000;
  var LIST_MAX = 300;
  var DAY_MS = 86400000;

  var state = {
    types: new Set(TYPES.map(function (t) { return t.name; })),
    actor: '', country: '', q: '',
    brush: null,   // [startISO, endISO] inclusive, or null
    zoom: null,    // timeline domain [startISO, endISO] or null for the full range
    stats: null, events: [], total: 0, selected: null,
    pending: 0, seq: { events: 0, stats: 0 }, fitted: false
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function typeInfo(name) { return TYPE_BY_NAME[name] || OTHER; }
  function setBusy(delta) {
    state.pending += delta;
    document.body.dataset.busy = state.pending > 0 ? 'true' : 'false';
  }
  async function getJSON(url) {
    setBusy(1);
    try {
      var r = await fetch(url, { headers: { Accept: 'application/json' } });
      var body = await r.json().catch(function () { return {}; });
      if (!r.ok) throw new Error(body.detail || ('HTTP ' + r.status));
      return body;
    } finally {
      setBusy(-1);
    }
  }
  function showError(err) { $('status').textContent = 'Error: ' + (err && err.message ? err.message : String(err)); }

  // ------------------------------------------------------------------ dates
  function parseISO(s) { var p = s.split('-'); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function monday(ms) { var d = new Date(ms).getUTCDay(); return ms - ((d + 6) % 7) * DAY_MS; }

  // ------------------------------------------------------------------ query strings
  function filterParams(withBrush) {
    var p = new URLSearchParams();
    if (state.types.size !== TYPES.length) {
      state.types.forEach(function (t) { p.append('event_type', t); });
    }
    if (state.actor) p.set('actor', state.actor);
    if (state.country) p.set('country', state.country);
    if (state.q) p.set('q', state.q);
    if (withBrush && state.brush) { p.set('start', state.brush[0]); p.set('end', state.brush[1]); }
    return p;
  }
  function noneSelected() { return state.types.size === 0; }

  // ------------------------------------------------------------------ map
  var map = L.map('map', { worldCopyJump: true, minZoom: 2, maxZoom: 13, zoomSnap: 0.5 }).setView([32, 38], 4);
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution('Natural Earth (public domain)');
  var icons = {};
  function iconFor(ev) {
    var t = typeInfo(ev.event_type);
    var f = Math.max(0, ev.fatalities || 0);
    var size = Math.round(Math.min(42, 16 + 6 * Math.log2(1 + f)));
    var key = t.cls + size;
    if (!icons[key]) icons[key] = L.divIcon({ className: 'wc-marker ' + t.cls, html: '', iconSize: [size, size] });
    return icons[key];
  }
  function sampleMarkers(cluster, max) {
    // up to `max` markers of a cluster, breadth-first, without walking all its children:
    // getAllChildMarkers() on every icon refresh is quadratic with tens of thousands of markers
    var out = [], queue = [cluster];
    while (queue.length && out.length < max) {
      var c = queue.shift();
      var ms = c._markers || [];
      for (var i = 0; i < ms.length && out.length < max; i++) out.push(ms[i]);
      (c._childClusters || []).forEach(function (cc) { queue.push(cc); });
    }
    return out;
  }
  function clusterIcon(cluster) {
    var counts = {}, best = null, n = cluster.getChildCount();
    sampleMarkers(cluster, 64).forEach(function (m) {
      var c = (counts[m.options.wcType] || 0) + 1;
      counts[m.options.wcType] = c;
      if (best === null || c > counts[best]) best = m.options.wcType;
    });
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
    // html is a number we format ourselves: no document text
    return L.divIcon({
      className: 'wc-cluster wc-marker ' + typeInfo(best).cls + ' cl',
      html: n < 10000 ? String(n) : Math.round(n / 1000) + 'k',
      iconSize: [size, size]
    });
  }
  var baseLayer = null;  // the country outlines (loadBaseMap)
  var cluster = L.markerClusterGroup({
    chunkedLoading: false, showCoverageOnHover: false, maxClusterRadius: 42,
    spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon
  });
  map.addLayer(cluster);
  var markers = {};

  // ------------------------------------------------------------------ territorial control layer
  // Who holds each place as of the brush's end date (today without a brush), coloured by the
  // holder's family; contested places are dashed.  Off until switched on in the layer control.
  var FAMILY_COLORS = {
    'State forces': '#1f4e79', 'Rebel groups': '#b03a2e', 'Political militias': '#d35400',
    'Identity militias': '#7d3c98', 'Rioters': '#148f77', 'Protesters': '#2e86c1',
    'Civilians': '#7f8c8d', 'External/Other forces': '#b7950b'
  };
  var CONTESTED = '#555555';
  var controlLayer = L.layerGroup();
  var controlSeq = 0;
  var layers = L.control.layers(null, { 'Control': controlLayer }, { collapsed: false, position: 'topright' }).addTo(map);
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () { var d = L.DomUtil.create('div', 'wc-legend'); d.id = 'control-legend'; return d; };
  function controlDate() { return state.brush ? state.brush[1] : new Date().toISOString().slice(0, 10); }
  function controlTooltip(p) {
    var box = el('div', 'wc-control-tip');
    box.appendChild(el('strong', null, p.location));
    box.appendChild(el('div', null, p.status === 'contested' ? 'contested' : p.holder));
    box.appendChild(el('div', null, 'since ' + p.since + (p.previous ? ' (from ' + p.previous + ')' : '')));
    box.appendChild(el('div', null, 'confidence ' + Number(p.confidence).toFixed(2) + ', ' + p.sources + ' report' + (p.sources === 1 ? '' : 's')));
    return box;
  }
  function renderLegend(families) {
    var box = $('control-legend');
    if (!box) return;
    box.replaceChildren();
    if (!families.length) return;
    box.appendChild(el('div', 'wc-legend-title', 'Control as of ' + controlDate()));
    families.forEach(function (f) {
      var row = el('div', 'wc-legend-row');
      var sw = el('span', 'wc-legend-swatch');
      sw.style.borderColor = f === 'contested' ? CONTESTED : (FAMILY_COLORS[f] || CONTESTED);
      if (f === 'contested') sw.style.borderStyle = 'dashed';
      row.appendChild(sw);
      row.appendChild(el('span', null, f));
      box.appendChild(row);
    });
  }
  async function loadControl() {
    var my = ++controlSeq;
    if (!map.hasLayer(controlLayer)) { controlLayer.clearLayers(); document.body.dataset.control = '0'; return; }
    var p = new URLSearchParams();
    p.set('date', controlDate());
    if (state.country) p.set('country', state.country);
    try {
      var fc = await getJSON('/api/control?' + p.toString());
      if (my !== controlSeq) return;
      controlLayer.clearLayers();
      var n = 0, families = [];
      fc.features.forEach(function (f) {
        var pr = f.properties;
        if (!f.geometry || pr.status === 'unknown') return;
        var fam = pr.status === 'contested' ? 'contested' : (pr.holder_family || 'contested');
        var color = fam === 'contested' ? CONTESTED : (FAMILY_COLORS[fam] || CONTESTED);
        if (families.indexOf(fam) < 0) families.push(fam);
        var c = f.geometry.coordinates;
        var m = L.circleMarker([c[1], c[0]], {
          radius: 20, color: color, weight: 4, fillColor: color, fillOpacity: 0.15,
          dashArray: pr.status === 'contested' ? '4 3' : null, className: 'wc-control'
        });
        m.bindTooltip(controlTooltip(pr));
        m.on('add', function () { var e = m.getElement(); if (e) { e.dataset.holder = pr.holder; e.dataset.location = pr.location; } });
        controlLayer.addLayer(m);
        n += 1;
      });
      renderLegend(families);
      document.body.dataset.control = String(n);
      document.body.dataset.controlDate = fc.date;
    } catch (err) { if (my === controlSeq) showError(err); }
  }
  map.on('overlayadd', function (e) { if (e.layer === controlLayer) { legend.addTo(map); loadControl(); } });
  map.on('overlayremove', function (e) { if (e.layer === controlLayer) { legend.remove(); loadControl(); } });

  // A ring that crosses the 180th meridian (eastern Russia, Wrangel Island, Fiji) jumps from about +180 to
  // -180 and back; drawn on a flat map it runs the other way round the world, as a land-coloured band
  // across the map.  A ring with an even number of such jumps is unwrapped: its western points move by
  // +360 degrees, so it is drawn whole just east of 180.  A ring with one jump goes round a pole
  // (Antarctica) and is left as it is.
  function unwrapAntimeridian(fc) {
    var unwrapped = 0;
    function ring(r) {
      var jumps = 0;
      for (var k = 1; k < r.length; k++) if (Math.abs(r[k][0] - r[k - 1][0]) > 180) jumps++;
      if (jumps === 0 || jumps % 2 === 1) return r;
      unwrapped++;
      return r.map(function (pt) { return pt[0] < 0 ? [pt[0] + 360, pt[1]] : pt; });
    }
    fc.features.forEach(function (f) {
      var g = f.geometry;
      if (!g) return;
      if (g.type === 'Polygon') g.coordinates = g.coordinates.map(ring);
      else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map(function (p) { return p.map(ring); });
    });
    return unwrapped;
  }

  function loadBaseMap(config) {
    if (config.tile_url) {
      var attribution = el('span', null, config.tile_attribution || '').innerHTML; // escaped text
      L.tileLayer(config.tile_url, { attribution: attribution, maxZoom: 18 }).addTo(map);
      map.setMaxZoom(18);
    }
    return fetch('/static/vendor/world-atlas/countries-50m.json')
      .then(function (r) { return r.json(); })
      .then(function (topo) {
        var fc = topojson.feature(topo, topo.objects.countries);
        document.body.dataset.unwrappedRings = String(unwrapAntimeridian(fc));
        baseLayer = L.geoJSON(fc, {
          interactive: false,
          style: config.tile_url
            ? { color: '#556', weight: 0.8, fill: false }
            : { color: '#9a968c', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1 }
        }).addTo(map);
        cluster.bringToFront && cluster.bringToFront();
      })
      .catch(function () { /* the page still works without outlines */ });
  }

  var SLICE = 10000;  // markers added per task, so a big load never freezes the page for long
  var renderToken = 0;
  function renderMarkers() {
    var token = ++renderToken;
    cluster.clearLayers();
    markers = {};
    var list = [];
    state.events.forEach(function (ev) {
      if (ev.latitude === null || ev.longitude === null) return;
      var m = L.marker([ev.latitude, ev.longitude], {
        icon: iconFor(ev),
        title: ev.event_date + ' · ' + ev.sub_event_type + ' · ' + (ev.location || ''),  // set as a DOM property
        alt: ev.sub_event_type,
        wcType: ev.event_type,
        keyboard: true
      });
      m.on('click', function () { openEvent(ev.event_id, false); });
      m.on('add', function () { if (m._icon) m._icon.dataset.eventId = ev.event_id; });
      markers[ev.event_id] = m;
      list.push(m);
    });
    setBusy(1);
    var offset = 0;
    return new Promise(function (resolve) {
      (function step() {
        if (token !== renderToken) { setBusy(-1); resolve(); return; }  // superseded by a newer render
        cluster.addLayers(list.slice(offset, offset + SLICE));
        offset += SLICE;
        if (offset < list.length) { setTimeout(step, 0); return; }
        if (!state.fitted && list.length) { fitToEvents(); state.fitted = true; }
        renderStatus();
        setBusy(-1);
        resolve();
      })();
    });
  }
  function fitToEvents() {
    var b = cluster.getBounds();
    if (b.isValid()) map.fitBounds(b.pad(0.15), { maxZoom: 8 });
  }

  // ------------------------------------------------------------------ list + status + export
  function renderList() {
    var ol = $('event-list');
    ol.replaceChildren();
    state.events.slice(0, LIST_MAX).forEach(function (ev) {
      var li = el('li');
      var b = el('button');
      b.type = 'button';
      b.dataset.eventId = ev.event_id;
      var dot = el('span', 'dot');
      dot.style.background = typeInfo(ev.event_type).color;
      var txt = el('span');
      txt.appendChild(el('span', 'when', ev.event_date + ' '));
      txt.appendChild(el('span', 'what', ev.sub_event_type));
      txt.appendChild(el('span', 'where', ' · ' + (ev.location || ev.country || '')));
      b.appendChild(dot);
      b.appendChild(txt);
      b.addEventListener('click', function () { openEvent(ev.event_id, true); });
      li.appendChild(b);
      ol.appendChild(li);
    });
    if (state.events.length > LIST_MAX) ol.appendChild(el('li', 'more', (state.events.length - LIST_MAX) + ' more on the map'));
    $('list-count').textContent = '(' + state.events.length + ')';
  }
  function renderStatus() {
    var shown = cluster.getLayers().length;
    var s = shown + ' event' + (shown === 1 ? '' : 's') + ' on the map';
    if (state.total > state.events.length) s += ' (first ' + state.events.length + ' of ' + state.total + ')';
    if (state.brush) s += ', ' + state.brush[0] + (state.brush[1] !== state.brush[0] ? ' to ' + state.brush[1] : '');
    $('status').textContent = s;
    document.body.dataset.markers = String(shown);
  }
  function updateExports() {
    var p = filterParams(true);
    var csv = new URLSearchParams(p); csv.set('format', 'csv');
    var gj = new URLSearchParams(p); gj.set('format', 'geojson');
    $('export-csv').href = '/api/events?' + csv.toString();
    $('export-geojson').href = '/api/events?' + gj.toString();
  }

  // ------------------------------------------------------------------ loading
  async function loadEvents() {
    var my = ++state.seq.events;
    updateExports();
    if (noneSelected()) { state.events = []; state.total = 0; renderMarkers(); renderList(); renderStatus(); return; }
    var p = filterParams(true);
    p.set('limit', String(MAP_LIMIT));
    p.set('fields', MAP_FIELDS);
    try {
      var data = await getJSON('/api/events?' + p.toString());
      if (my !== state.seq.events) return;
      state.events = data.events;
      state.total = data.total;
      renderList();
      await renderMarkers();
    } catch (err) { if (my === state.seq.events) showError(err); }
  }
  async function loadStats() {
    var my = ++state.seq.stats;
    if (noneSelected()) { state.stats = { by_day: [], total: 0 }; renderTimeline(); return; }
    try {
      var s = await getJSON('/api/stats?' + filterParams(false).toString());
      if (my !== state.seq.stats) return;
      state.stats = s;
      renderTimeline();
      renderTypeCounts(s);
    } catch (err) { if (my === state.seq.stats) showError(err); }
  }
  function reload() { loadStats(); loadEvents(); loadControl(); }

  // ------------------------------------------------------------------ timeline with brush
  var tl = { bins: [], left: 36, right: 8, top: 6, bottom: 18, width: 0, bw: 0 };
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function renderTimeline() {
    var svg = $('timeline-svg');
    svg.replaceChildren();
    var W = svg.clientWidth || 600, H = svg.clientHeight || 110;
    tl.width = W;
    var s = state.stats;
    if (!s || !s.by_day || !s.by_day.length) {
      svg.appendChild(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, 'No events'));
      tl.bins = [];
      updateTimelineButtons();
      return;
    }
    var d0 = parseISO(state.zoom ? state.zoom[0] : s.by_day[0].date);
    var d1 = parseISO(state.zoom ? state.zoom[1] : s.by_day[s.by_day.length - 1].date);
    var span = Math.round((d1 - d0) / DAY_MS) + 1;
    var unit = span <= 120 ? 'day' : 'week';
    var bins = [];
    if (unit === 'day') {
      for (var t = d0; t <= d1; t += DAY_MS) bins.push({ start: t, end: t, count: 0 });
    } else {
      for (var w = monday(d0); w <= d1; w += 7 * DAY_MS) bins.push({ start: w, end: w + 6 * DAY_MS, count: 0 });
    }
    var step = unit === 'day' ? DAY_MS : 7 * DAY_MS;
    var origin = bins[0].start;
    s.by_day.forEach(function (r) {
      var t = parseISO(r.date);
      if (t < d0 || t > d1) return;
      var i = Math.floor((t - origin) / step);
      if (i >= 0 && i < bins.length) bins[i].count += r.count;
    });
    tl.bins = bins;
    tl.unit = unit;
    var plotW = W - tl.left - tl.right, plotH = H - tl.top - tl.bottom;
    var bw = plotW / bins.length;
    tl.bw = bw;
    var max = Math.max.apply(null, bins.map(function (b) { return b.count; }).concat([1]));
    var g = svgEl('g');
    bins.forEach(function (b, i) {
      if (!b.count) return;
      var h = Math.max(2, (b.count / max) * plotH);
      var r = svgEl('rect', {
        x: (tl.left + i * bw + (bw > 3 ? 0.5 : 0)).toFixed(2), y: (tl.top + plotH - h).toFixed(2),
        width: Math.max(1, bw - (bw > 3 ? 1 : 0)).toFixed(2), height: h.toFixed(2),
        class: 'bar' + (inBrush(b) ? ' sel' : state.brush ? ' dim' : ''),
        'data-start': iso(b.start), 'data-end': iso(b.end), 'data-count': b.count
      });
      r.appendChild(svgEl('title', {}, (unit === 'day' ? iso(b.start) : 'week of ' + iso(b.start)) + ': ' + b.count));
      g.appendChild(r);
    });
    svg.appendChild(g);
    svg.appendChild(svgEl('line', { x1: tl.left, x2: W - tl.right, y1: tl.top + plotH + 0.5, y2: tl.top + plotH + 0.5, class: 'baseline' }));
    svg.appendChild(svgEl('text', { x: tl.left - 4, y: tl.top + 9, 'text-anchor': 'end', class: 'axis' }, max));
    svg.appendChild(svgEl('text', { x: tl.left - 4, y: tl.top + plotH, 'text-anchor': 'end', class: 'axis' }, 0));
    var ticks = Math.max(2, Math.min(bins.length, Math.floor(plotW / 90)));
    for (var k = 0; k < ticks; k++) {
      var bi = Math.round(k * (bins.length - 1) / Math.max(1, ticks - 1));
      var x = tl.left + (bi + 0.5) * bw;
      svg.appendChild(svgEl('text', { x: x, y: H - 4, 'text-anchor': k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle', class: 'axis' }, iso(bins[bi].start)));
    }
    svg.appendChild(svgEl('text', { x: W - tl.right, y: tl.top + 9, 'text-anchor': 'end', class: 'axis' }, 'events per ' + unit));
    drawBrush();
    updateTimelineButtons();
  }
  function inBrush(b) {
    if (!state.brush) return false;
    return iso(b.end) >= state.brush[0] && iso(b.start) <= state.brush[1];
  }
  function binIndexAt(x) {
    var i = Math.floor((x - tl.left) / tl.bw);
    return Math.max(0, Math.min(tl.bins.length - 1, i));
  }
  function drawBrush(x0, x1) {
    var svg = $('timeline-svg');
    var old = svg.querySelector('.brush');
    if (old) old.remove();
    var H = svg.clientHeight || 110;
    if (x0 === undefined) {
      if (!state.brush || !tl.bins.length) return;
      var a = parseISO(state.brush[0]), b = parseISO(state.brush[1]);
      var first = tl.bins[0].start, step = tl.unit === 'day' ? DAY_MS : 7 * DAY_MS;
      x0 = tl.left + Math.max(0, (a - first) / step) * tl.bw;
      x1 = tl.left + Math.min(tl.bins.length, (b - first) / step + (tl.unit === 'day' ? 1 : 1 / 7)) * tl.bw;
      if (x1 < tl.left || x0 > tl.width - tl.right) return;
    }
    svg.appendChild(svgEl('rect', {
      class: 'brush', x: Math.min(x0, x1), y: tl.top, width: Math.max(2, Math.abs(x1 - x0)), height: H - tl.top - tl.bottom
    }));
  }
  function setBrush(range) {
    state.brush = range;
    var lab = $('brush-label');
    if (range) {
      lab.textContent = range[0] === range[1] ? 'Selected: ' + range[0] : 'Selected: ' + range[0] + ' to ' + range[1];
      lab.classList.add('active');
    } else {
      lab.textContent = 'Drag across the timeline to select dates';
      lab.classList.remove('active');
    }
    renderTimeline();
    loadEvents();
    loadControl();
  }
  function updateTimelineButtons() {
    $('tl-zoom').disabled = !state.brush;
    $('tl-full').disabled = !state.zoom;
    $('tl-clear').disabled = !state.brush;
  }
  (function wireBrush() {
    var svg = $('timeline-svg');
    var drag = null;
    function localX(e) { return e.clientX - svg.getBoundingClientRect().left; }
    svg.addEventListener('pointerdown', function (e) {
      if (!tl.bins.length || e.button !== 0) return;
      drag = { x0: localX(e) };
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    svg.addEventListener('pointermove', function (e) {
      if (!drag) return;
      drawBrush(drag.x0, localX(e));
    });
    function finish(e) {
      if (!drag) return;
      var x0 = drag.x0, x1 = localX(e);
      drag = null;
      var lo = Math.min(x0, x1), hi = Math.max(x0, x1);
      if (hi < tl.left && Math.abs(x1 - x0) < 3) { setBrush(null); return; }
      var i0 = binIndexAt(lo), i1 = binIndexAt(Math.abs(x1 - x0) < 3 ? lo : hi - 0.01);
      setBrush([iso(tl.bins[i0].start), iso(tl.bins[i1].end)]);
    }
    svg.addEventListener('pointerup', finish);
    svg.addEventListener('pointercancel', function () { drag = null; drawBrush(); });
    $('tl-zoom').addEventListener('click', function () { if (state.brush) { state.zoom = state.brush.slice(); renderTimeline(); } });
    $('tl-full').addEventListener('click', function () { state.zoom = null; renderTimeline(); });
    $('tl-clear').addEventListener('click', function () { setBrush(null); });
    window.addEventListener('resize', function () { renderTimeline(); });
  })();

  // ------------------------------------------------------------------ filters
  function buildTypeList() {
    var box = $('type-list');
    TYPES.forEach(function (t) {
      var lab = el('label', 'type-option');
      var cb = el('input');
      cb.type = 'checkbox'; cb.checked = true; cb.value = t.name; cb.name = 'event_type';
      cb.addEventListener('change', function () {
        if (cb.checked) state.types.add(t.name); else state.types.delete(t.name);
        reload();
      });
      var sw = el('span', 'swatch wc-marker ' + t.cls);
      lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(el('span', null, t.name));
      var n = el('span', 'n'); n.dataset.type = t.name;
      lab.appendChild(n);
      box.appendChild(lab);
    });
  }
  function renderTypeCounts(s) {
    var counts = {};
    (s.by_event_type || []).forEach(function (r) { counts[r.event_type] = r.count; });
    document.querySelectorAll('#type-list .n').forEach(function (n) {
      n.textContent = state.types.has(n.dataset.type) ? String(counts[n.dataset.type] || 0) : '';
    });
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function wireFilters(config) {
    var onText = debounce(function () {
      state.actor = $('f-actor').value.trim();
      state.q = $('f-q').value.trim();
      reload();
    }, 300);
    $('f-actor').addEventListener('input', onText);
    $('f-q').addEventListener('input', onText);
    $('f-country').addEventListener('change', function () { state.country = $('f-country').value; reload(); });
    $('filter-form').addEventListener('submit', function (e) { e.preventDefault(); onText(); });
    $('filter-form').addEventListener('reset', function () {
      setTimeout(function () {
        state.types = new Set(TYPES.map(function (t) { return t.name; }));
        document.querySelectorAll('#type-list input').forEach(function (cb) { cb.checked = true; });
        state.actor = ''; state.q = ''; state.country = '';
        state.brush = null; state.zoom = null;
        setBrush(null);
        loadStats();
      }, 0);
    });
    $('fit').addEventListener('click', fitToEvents);
  }
  function fillCountries(stats) {
    var sel = $('f-country');
    (stats.by_country || []).forEach(function (r) {
      if (!r.country) return;
      var o = el('option', null, r.country + ' (' + r.count + ')');
      o.value = r.country;
      sel.appendChild(o);
    });
  }

  // ------------------------------------------------------------------ event detail
  var FIELDS = [
    ['event_date', 'Date'], ['time_precision', 'Time precision'], ['event_type', 'Event type'],
    ['sub_event_type', 'Sub-event type'], ['actor1', 'Actor 1'], ['assoc_actor_1', 'Assoc. actor 1'],
    ['inter1', 'Inter 1'], ['actor2', 'Actor 2'], ['assoc_actor_2', 'Assoc. actor 2'], ['inter2', 'Inter 2'],
    ['country', 'Country'], ['admin1', 'Admin 1'], ['admin2', 'Admin 2'], ['location', 'Location'],
    ['latitude', 'Latitude'], ['longitude', 'Longitude'], ['geo_precision', 'Geo precision'],
    ['fatalities', 'Fatalities'], ['source', 'Source'], ['event_id', 'Event id'], ['doc_id', 'Document']
  ];
  function highlighted(ctx) {
    // the paragraph as text nodes, with each evidence span in a <mark> (text only, never HTML)
    var p = el('p', 'context');
    var pos = 0, text = ctx.text;
    ctx.highlights.forEach(function (h) {
      if (h.start > pos) p.appendChild(document.createTextNode(text.slice(pos, h.start)));
      var start = Math.max(pos, h.start);
      if (h.end > start) p.appendChild(el('mark', 'evidence', text.slice(start, h.end)));
      pos = Math.max(pos, h.end);
    });
    if (pos < text.length) p.appendChild(document.createTextNode(text.slice(pos)));
    return p;
  }
  function safeHttpUrl(u) {
    if (!u) return null;
    try {
      var url = new URL(u, window.location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) { return null; }
  }
  async function openEvent(id, pan) {
    document.querySelectorAll('#event-list button.active').forEach(function (b) { b.classList.remove('active'); });
    var btn = document.querySelector('#event-list button[data-event-id="' + CSS.escape(id) + '"]');
    if (btn) btn.classList.add('active');
    var box = $('detail');
    try {
      var d = await getJSON('/api/events/' + encodeURIComponent(id));
      state.selected = id;
      var ev = d.event;
      box.replaceChildren();
      box.dataset.eventId = ev.event_id;
      box.appendChild(el('h2', null, ev.sub_event_type));
      var badges = el('div', 'badges');
      var tb = el('span', 'badge', ev.event_type);
      tb.style.background = typeInfo(ev.event_type).color;
      badges.appendChild(tb);
      if (ev.hedged) {
        var hb = el('span', 'badge hedged', 'hedged');
        hb.title = 'The source hedges this report ("reportedly", "claimed", "according to" ...)';
        badges.appendChild(hb);
      }
      badges.appendChild(el('span', 'badge conf', 'confidence ' + Number(ev.confidence).toFixed(2)));
      var co = d.corroboration;
      if (co) {
        var sb = el('span', 'badge sources', co.sources + ' independent source' + (co.sources === 1 ? '' : 's'));
        sb.title = co.corroboration + (co.outlets ? ': ' + co.outlets : '');
        badges.appendChild(sb);
        if (co.partisan_only) {
          var pb = el('span', 'badge partisan', 'partisan sources only');
          pb.title = 'Every outlet that reported this event is rated partisan (data/sources.tsv)';
          badges.appendChild(pb);
        }
      }
      box.appendChild(badges);
      if (ev.notes) box.appendChild(el('p', 'notes', ev.notes));
      var table = el('table', 'fields');
      FIELDS.forEach(function (f) {
        var v = ev[f[0]];
        if (v === null || v === undefined || v === '') return;
        var tr = el('tr');
        tr.appendChild(el('th', null, f[1]));
        tr.appendChild(el('td', null, v));
        table.appendChild(tr);
      });
      box.appendChild(table);
      box.appendChild(el('h3', null, 'Source text'));
      if (d.document && d.document.title) box.appendChild(el('p', 'doc-title', d.document.title));
      if (d.context && d.context.length) d.context.forEach(function (c) { box.appendChild(highlighted(c)); });
      else ev.evidence.forEach(function (s) { var p = el('p', 'context'); p.appendChild(el('mark', 'evidence', s.text)); box.appendChild(p); });
      if (co && co.other_reports && co.other_reports.length) {
        box.appendChild(el('h3', null, 'Other reports of this event'));
        var ul = el('ul', 'other-reports');
        co.other_reports.forEach(function (r) {
          var li = el('li');
          var b = el('button', 'link', (r.source || r.doc_id) + (r.event_date ? ' (' + r.event_date + ')' : ''));
          b.type = 'button';
          b.dataset.eventId = r.event_id;
          b.addEventListener('click', function () { openEvent(r.event_id, true); });
          li.appendChild(b);
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }
      var href = safeHttpUrl(d.source_url);
      if (href) {
        var a = el('a', 'source-link', 'Open the source ↗');
        a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer nofollow';
        box.appendChild(a);
      } else {
        box.appendChild(el('p', 'placeholder', 'No source URL recorded.'));
      }
      if (window.warcoderCorrect) window.warcoderCorrect(box, ev, d.corrections || [], state.subTypes, state.canWrite);
      var m = markers[id];
      // (not cluster.zoomToShowLayer: its deferred callback breaks if the markers are replaced meanwhile)
      if (pan && m) map.setView(m.getLatLng(), Math.max(map.getZoom(), 9), { animate: false });
    } catch (err) {
      box.replaceChildren(el('p', 'placeholder', 'Could not load the event: ' + err.message));
    }
  }

  // ------------------------------------------------------------------ start
  async function start() {
    buildTypeList();
    var config = { tile_url: null };
    try { config = await getJSON('/api/config'); } catch (e) { /* defaults */ }
    state.subTypes = config.sub_event_types || {};
    state.canWrite = !!config.ingest;
    wireFilters(config);
    var base = loadBaseMap(config);
    try {
      var all = await getJSON('/api/stats');
      fillCountries(all);
      state.stats = all;
      renderTimeline();
      renderTypeCounts(all);
    } catch (err) { showError(err); }
    await Promise.all([loadEvents(), base]);
    document.body.dataset.ready = 'true';
  }

  window.warcoder = {
    state: state,
    map: map,
    markerCount: function () { return cluster.getLayers().length; },
    openEvent: openEvent,
    setBrush: setBrush,
    controlLayer: controlLayer,
    layers: layers,
    baseLayer: function () { return baseLayer; }
  };
  start();
})();
