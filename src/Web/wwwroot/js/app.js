// The page: the overlays list, the create form, the action bar and the live channel. Each protocol's
// drawing lives in its own module (chord.js, pastry.js, kelips.js, flood.js, swarm.js).
import { chordView } from './chord.js';
import { pastryView } from './pastry.js';
import { kelipsView } from './kelips.js';
import { floodView } from './flood.js';
import { swarmView } from './swarm.js';

const views = { chord: chordView, pastry: pastryView, kelips: kelipsView, gnutella: floodView, napster: floodView, fasttrack: floodView, swarm: swarmView };
const $ = id => document.getElementById(id);

// What tests and the latency measurement read: how many redraws, when the last one happened.
// `followed`/`traced`: the demo's overlays (and lookups) this page has drawn, in order.
window.p2p = { draws: 0, lastDraw: 0, ready: false, connected: false, followed: [], traced: [] };
let connection = null;
let focused = null; // the overlay the demo shows (null when no demo runs)

export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
  return { data, trace: Number(response.headers.get('x-p2p-trace') || 0) };
}

export function drawn() {
  window.p2p.draws++;
  window.p2p.lastDraw = performance.now();
  if (focused && state.current?.name === focused) {
    const followed = window.p2p.followed;
    if (followed[followed.length - 1] !== focused) followed.push(focused);
    shown();
  }
}

// Tells the demo its scene or trace is on screen: it waits for that (bounded) before moving on, so a
// slow page never misses a scene.
function shown() { connection?.invoke('Drawn', focused).catch(() => {}); }

export function showError(message) {
  const box = $('error');
  box.textContent = message || '';
  box.hidden = !message;
}

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

const state = { overlays: [], protocols: {}, current: null, view: null, loading: false, dirty: false, seenTraces: new Set() };

async function loadOverlays() {
  const { data } = await api('GET', '/api/overlays');
  state.overlays = data;
  const body = $('overlays').tBodies[0];
  body.innerHTML = '';
  for (const o of data) {
    const row = body.insertRow();
    row.dataset.name = o.name;
    row.className = o.name === state.current?.name ? 'selected' : '';
    row.innerHTML = `<td>${escapeHtml(o.name)}</td><td>${escapeHtml(o.protocol)}</td><td class="num">${o.peers.toLocaleString('en')}</td><td class="num">${o.round.toLocaleString('en')}</td>`;
    row.addEventListener('click', () => select(o.name));
  }
  $('no-overlays').hidden = data.length > 0;
  if (state.current && !data.some(o => o.name === state.current.name)) {
    clearView(`'${state.current.name}' was deleted`);
  }
}

function clearView(title) {
  state.current = null;
  state.view = null;
  $('view-title').textContent = title;
  $('view-stats').textContent = '';
  $('actions').hidden = true;
  $('side').innerHTML = '';
  $('legend').textContent = '';
  const canvas = $('main');
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
}

export async function select(name) {
  const info = state.overlays.find(o => o.name === name) ?? (await api('GET', `/api/overlays/${encodeURIComponent(name)}`)).data;
  const make = views[info.protocol];
  if (!make) { showError(`no view for ${info.protocol}`); return; }
  showError('');
  state.current = info;
  state.seenTraces = new Set();
  for (const row of $('overlays').tBodies[0].rows) row.className = row.dataset.name === name ? 'selected' : '';
  $('view-title').textContent = `${info.name} (${info.protocol})`;
  $('details').innerHTML = '<p class="hint">Click a peer to see its state.</p>';
  $('side').innerHTML = '';
  state.view = make({ overlay: info, canvas: $('main'), side: $('side'), details: $('details'), legend: $('legend'), stats: $('view-stats'), api, drawn, showError, escapeHtml, base: `/api/overlays/${encodeURIComponent(name)}` });
  window.p2p.view = state.view;
  buildActions(info);
  history.replaceState(null, '', `#${encodeURIComponent(name)}`);
  await refresh();
  const { data: traces } = await api('GET', `/api/overlays/${encodeURIComponent(name)}/lookups`);
  const last = traces[traces.length - 1];
  if (last && state.view?.onTrace) handleTrace(last);
}

// One refresh at a time; changes that arrive meanwhile cause exactly one more.
async function refresh() {
  if (!state.view) return;
  if (state.loading) { state.dirty = true; return; }
  state.loading = true;
  try {
    do {
      state.dirty = false;
      const view = state.view, pushedAt = state.pushedAt;
      state.pushedAt = null;
      await view.load();
      if (view === state.view) {
        view.draw();
        // what the latency measurement reads: the wall clock of this redraw, and how long after the push that caused it
        window.p2p.lastDrawDone = Date.now();
        if (pushedAt != null) window.p2p.pushToDraw = performance.now() - pushedAt;
      }
    } while (state.dirty);
  } catch (e) {
    showError(e.message);
  } finally {
    state.loading = false;
  }
}

function handleTrace(entry) {
  if (!state.view?.onTrace || state.seenTraces.has(entry.id)) return;
  state.seenTraces.add(entry.id);
  state.view.onTrace(entry);
  if (focused && state.current?.name === focused) { window.p2p.traced.push(focused); shown(); }
}

// The controls of the action bar; which appear depends on the protocol's actions (/api/protocols).
const controls = {
  join: { label: 'join', fields: [['count', 'peers', 4, 'number']], extra: p => ['chord', 'pastry', 'kelips'].includes(p) ? [['converged', 'converged', false, 'checkbox']] : [] },
  fail: { label: 'fail', fields: [['count', 'peers', 1, 'number']] },
  leave: { label: 'leave', fields: [['id', 'peer id', '', 'text']] },
  step: { label: 'step', fields: [['rounds', 'rounds', 1, 'number']] },
  lookup: { label: 'lookup', fields: [['key', 'key', 'song.mp3', 'text'], ['from', 'from (id)', '', 'text']] },
  put: { label: 'put', fields: [['key', 'key', 'song.mp3', 'text'], ['value', 'value', 'peer-7', 'text']] },
  get: { label: 'get', fields: [['key', 'key', 'song.mp3', 'text']] },
  search: { label: 'search', fields: [['key', 'keywords', 'oasis vogue', 'text'], ['from', 'from', 1, 'number'], ['ttl', 'ttl', '', 'number']], action: 'lookup' },
  'fail-server': { label: 'fail server', fields: [] },
  'recover-server': { label: 'recover server', fields: [] },
  run: { label: 'run', fields: [['ticks', 'ticks', 600, 'number']] },
};

function buildActions(info) {
  const form = $('actions');
  form.innerHTML = '';
  const actions = state.protocols[info.protocol] ?? [];
  for (const name of actions) {
    const key = ['gnutella', 'napster', 'fasttrack'].includes(info.protocol) && name === 'lookup' ? 'search' : name;
    const c = controls[key];
    if (!c) continue;
    const group = document.createElement('span');
    group.className = 'group';
    group.dataset.action = name;
    const inputs = [];
    for (const [field, placeholder, value, type] of [...c.fields, ...(c.extra ? c.extra(info.protocol) : [])]) {
      const input = document.createElement('input');
      input.name = field; input.type = type; input.placeholder = placeholder; input.title = placeholder;
      if (type === 'checkbox') { input.checked = !!value; const l = document.createElement('label'); l.append(input, ' ' + placeholder); group.append(l); }
      else { input.value = value; if (type === 'text') input.className = 'wide'; group.append(input); }
      inputs.push(input);
    }
    const button = document.createElement('button');
    button.type = 'button'; button.textContent = c.label; button.name = name;
    button.addEventListener('click', () => act(c.action ?? name, inputs, button));
    group.append(button);
    form.append(group);
  }
  form.hidden = actions.length === 0;
}

async function act(action, inputs, button) {
  const body = {};
  for (const input of inputs) {
    if (input.type === 'checkbox') { if (input.checked) body[input.name] = true; }
    else if (input.value !== '') body[input.name] = input.type === 'number' ? Number(input.value) : input.value;
  }
  button.disabled = true;
  showError('');
  try {
    const { data, trace } = await api('POST', `/api/overlays/${encodeURIComponent(state.current.name)}/${action}`, body);
    if (trace) handleTrace({ id: trace, kind: action, trace: data });
    else if (state.view?.onResult) state.view.onResult(action, data);
  } catch (e) {
    showError(e.message);
  } finally {
    button.disabled = false;
  }
}

function bindCreateForm() {
  const form = $('create');
  const showFields = () => {
    const protocol = form.protocol.value;
    for (const label of form.querySelectorAll('label[data-for]')) label.hidden = !label.dataset.for.split(' ').includes(protocol);
  };
  form.protocol.addEventListener('change', showFields);
  showFields();
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const protocol = form.protocol.value;
    const body = { name: form.name.value.trim(), protocol, seed: Number(form.seed.value || 1) };
    const peers = Number(form.peers.value || 0);
    if (protocol === 'chord') body.bits = Number(form.bits.value);
    if (['gnutella', 'napster', 'fasttrack'].includes(protocol)) { body.peers = peers; body.topology = form.topology.value; }
    if (protocol === 'kelips') body.expected = Math.max(peers, 1);
    if (protocol === 'swarm') { body.peers = peers; body.size = Number(form.size_mb.value) * 1024 * 1024; body.free_riders = Number(form.free_riders.value) / 100; }
    const button = form.querySelector('button');
    button.disabled = true;
    showError('');
    try {
      await api('POST', '/api/overlays', body);
      // structured overlays start empty: join the peers asked for through the join protocol
      if (['chord', 'pastry', 'kelips'].includes(protocol) && peers > 0) {
        await api('POST', `/api/overlays/${encodeURIComponent(body.name)}/join`, { count: peers });
      }
      await loadOverlays();
      await select(body.name);
    } catch (e) {
      showError(e.message);
    } finally {
      button.disabled = false;
    }
  });
}

async function connect() {
  const status = $('status');
  connection = new signalR.HubConnectionBuilder()
    .withUrl('/live')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection.on('overlays', () => loadOverlays().catch(e => showError(e.message)));
  connection.on('changed', name => {
    if (name === state.current?.name) { state.pushedAt ??= performance.now(); refresh(); }
    loadOverlays().catch(() => {});
  });
  connection.on('trace', (name, entry) => { if (name === state.current?.name) handleTrace(entry); });
  connection.on('focus', (name, caption) => {
    const focus = $('focus');
    focus.hidden = false;
    focus.textContent = caption;
    focused = name;
    loadOverlays().then(() => select(name)).catch(e => showError(e.message));
  });
  const live = () => { status.textContent = 'live'; status.className = 'status live'; window.p2p.connected = true; };
  connection.onreconnecting(() => { status.textContent = 'reconnecting…'; status.className = 'status down'; window.p2p.connected = false; });
  connection.onreconnected(() => { live(); loadOverlays().then(refresh); });
  connection.onclose(() => { status.textContent = 'disconnected (reload the page)'; status.className = 'status down'; window.p2p.connected = false; });
  await connection.start();
  live();
}

async function main() {
  bindCreateForm();
  const { data: protocols } = await api('GET', '/api/protocols');
  for (const p of protocols) state.protocols[p.protocol] = p.actions;
  await loadOverlays();
  await connect().catch(e => showError(`no live updates: ${e.message}`));
  const { data: live } = await api('GET', '/api/live');
  const wanted = live.focus?.overlay ?? decodeURIComponent(location.hash.slice(1));
  if (live.focus) { $('focus').hidden = false; $('focus').textContent = live.focus.caption; focused = live.focus.overlay; }
  if (wanted && state.overlays.some(o => o.name === wanted)) await select(wanted);
  window.addEventListener('hashchange', () => {
    const name = decodeURIComponent(location.hash.slice(1));
    if (name && name !== state.current?.name) select(name).catch(e => showError(e.message));
  });
  window.p2p.ready = true;
}

main().catch(e => showError(e.message));
