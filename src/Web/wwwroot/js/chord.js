// Chord: the ring as a circle, peers placed by id (id / 2^m turns), successor arcs, keys per peer as
// bars outside the circle, a selected peer's fingers, and a lookup drawn hop by hop from its trace.
import { colors, prepare, onCircle, dot, arrow, label, animate, legend, table } from './draw.js';

export function chordView(v) {
  const size = 720, cx = size / 2, cy = size / 2, radius = 290;
  let peers = [], byId = new Map(), selected = null, lookup = null, shownHops = 0, check = null, checking = false;

  // The ground-truth check reads every peer against the ideal ring: awaited for small rings, read in
  // the background for large ones (one at a time) so that it never holds up a redraw.
  async function loadCheck() {
    const { data } = await v.api('GET', `${v.base}/summary`);
    check = data.check;
  }

  async function load() {
    const small = (peers.length || v.overlay.peers) <= 2000;
    const [{ data }] = await Promise.all([v.api('GET', `${v.base}/peers`), small ? loadCheck().catch(() => {}) : Promise.resolve()]);
    peers = data.peers;
    byId = new Map(peers.map(p => [p.id, p]));
    if (!small && !checking) {
      checking = true;
      loadCheck().then(draw).catch(() => {}).finally(() => { checking = false; });
    }
    if (selected && byId.has(selected.id)) selected = (await v.api('GET', `${v.base}/peers/${encodeURIComponent(selected.id)}`)).data;
    else if (selected) selected = null;
  }

  function draw() {
    const ctx = prepare(v.canvas, size, size);
    const n = peers.length;
    dot(ctx, cx, cy, radius, null, colors.line);
    const maxKeys = Math.max(1, ...peers.map(p => p.keys));
    const dotSize = n > 2000 ? 1.2 : n > 300 ? 2 : 4;

    // successor arcs: grey when the successor is the next peer on the ring, red when it is not (yet)
    let wrong = 0;
    ctx.lineWidth = 1;
    peers.forEach((p, i) => {
      if (!p.successor) return;
      const s = byId.get(p.successor);
      if (!s) return;
      const correct = p.successor === peers[(i + 1) % n].id;
      if (!correct) wrong++;
      const [x1, y1] = onCircle(p.pos, radius, cx, cy), [x2, y2] = onCircle(s.pos, radius, cx, cy);
      ctx.strokeStyle = correct ? colors.faint : colors.hot;
      ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke();
    });

    // keys per peer: a bar outward, as long as its share of the most loaded peer
    ctx.strokeStyle = colors.key;
    for (const p of peers) {
      if (!p.keys) continue;
      const [x1, y1] = onCircle(p.pos, radius + 6, cx, cy), [x2, y2] = onCircle(p.pos, radius + 6 + 30 * p.keys / maxKeys, cx, cy);
      ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke();
    }

    let marks = 0;
    for (const p of peers) {
      const [x, y] = onCircle(p.pos, radius, cx, cy);
      dot(ctx, x, y, dotSize, colors.peer);
      marks++;
    }
    v.canvas.dataset.marks = String(marks);
    if (n <= 24) for (const p of peers) { const [x, y] = onCircle(p.pos, radius - 18, cx, cy); label(ctx, p.id, x, y, colors.muted, 'center', '10px system-ui'); }

    if (selected) drawSelected(ctx);
    if (lookup) drawLookup(ctx, shownHops);
    v.stats.textContent = `${n.toLocaleString('en')} peers, m = ${v.overlay.bits}` + (check ? ` · successors ${(check.successors_correct * 100).toFixed(1)}% · fingers ${(check.fingers_correct * 100).toFixed(1)}% · keys at owner ${check.keys_at_owner}/${check.distinct_keys}` : '') + (wrong ? ` · ${wrong} successor pointers not yet right` : '');
    legend(v.legend, [[colors.peer, 'peer (by id)'], [colors.faint, 'successor'], [colors.hot, 'successor not yet right'], [colors.key, 'keys held'], [colors.finger, 'fingers of the selected peer'], [colors.warn, 'lookup path']]);
    v.drawn();
  }

  function drawSelected(ctx) {
    const [sx, sy] = onCircle(selected.pos, radius, cx, cy);
    const seen = new Set();
    for (const f of selected.fingers) {
      if (seen.has(f.node) || f.node === selected.id) continue;
      seen.add(f.node);
      const [fx, fy] = onCircle(f.pos, radius, cx, cy);
      arrow(ctx, sx, sy, fx, fy, colors.finger, 1.2, 0.15);
    }
    v.canvas.dataset.fingers = String(seen.size);
    dot(ctx, sx, sy, 7, null, colors.finger);
    label(ctx, selected.id, sx + 9, sy - 9, colors.finger);
  }

  function drawLookup(ctx, upTo) {
    const [kx, ky] = onCircle(lookup.key_pos, radius + 48, cx, cy);
    label(ctx, `key ${lookup.key ?? lookup.key_id}`, kx, ky, colors.key, 'center', 'bold 11px system-ui');
    const [kx2, ky2] = onCircle(lookup.key_pos, radius + 38, cx, cy), [kx3, ky3] = onCircle(lookup.key_pos, radius + 2, cx, cy);
    arrow(ctx, kx2, ky2, kx3, ky3, colors.key, 1.5);
    const steps = lookup.steps;
    for (let i = 0; i < Math.min(upTo, steps.length); i++) {
      const [x, y] = onCircle(steps[i].pos, radius, cx, cy);
      dot(ctx, x, y, 6, i === 0 ? colors.ink : colors.warn);
      label(ctx, String(i), x + 8, y + 8, colors.warn, 'left', 'bold 12px system-ui');
      if (i > 0) {
        const [px, py] = onCircle(steps[i - 1].pos, radius, cx, cy);
        arrow(ctx, px, py, x, y, colors.warn, 2.5, 0.2);
      }
    }
  }

  function onTrace(entry) {
    const t = entry.trace.steps ? entry.trace : entry.trace.lookup;
    if (!t?.steps) return;
    lookup = t;
    v.canvas.dataset.hops = t.path.join(',');
    v.side.innerHTML = `<h3>${entry.kind} ${v.escapeHtml(t.key ?? t.key_id)}</h3>`
      + `<p>${t.success ? `owner <b>${t.owner}</b> after <b>${t.hops}</b> hops, ${t.latency_ms.toFixed(1)} ms simulated, ${t.messages} messages` : `failed: ${v.escapeHtml(t.error)}`}</p>`
      + (entry.trace.stored_at ? `<p>stored at ${entry.trace.stored_at.join(', ')}</p>` : '')
      + (entry.kind === 'get' ? `<p>value: <b>${v.escapeHtml(entry.trace.value ?? '(not found)')}</b></p>` : '')
      + table(t.steps.map((s, i) => [i, s.id, s.rtt_ms.toFixed(1), v.escapeHtml(s.reason)]), ['hop', 'peer', 'rtt ms', 'why']);
    v.side.querySelector('table').id = 'hops';
    animate(t.steps.length, 350, k => { shownHops = k; draw(); });
  }

  v.canvas.onclick = async event => {
    const rect = v.canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * size / rect.width - cx, y = (event.clientY - rect.top) * size / rect.height - cy;
    if (Math.abs(Math.hypot(x, y) - radius) > 25 || peers.length === 0) return;
    const pos = ((Math.atan2(y, x) + Math.PI / 2) / (2 * Math.PI) + 1) % 1;
    let best = peers[0];
    for (const p of peers) if (Math.min(Math.abs(p.pos - pos), 1 - Math.abs(p.pos - pos)) < Math.min(Math.abs(best.pos - pos), 1 - Math.abs(best.pos - pos))) best = p;
    await showPeer(best.id);
  };

  async function showPeer(id) {
    try {
      selected = (await v.api('GET', `${v.base}/peers/${encodeURIComponent(id)}`)).data;
    } catch (e) { v.showError(e.message); return; }
    v.details.innerHTML = table([
      ['id', selected.id], ['address', v.escapeHtml(selected.address)], ['predecessor', selected.predecessor ?? '-'],
      ['successors', selected.successors.map(s => s.id).join(' ')], ['keys (own)', `${selected.keys} (${selected.primary_keys})`],
      ['messages', `${selected.lookup_messages} lookup, ${selected.maintenance_messages} maintenance`], ['silo', v.escapeHtml(selected.silo ?? '')],
    ]) + '<h3>fingers</h3>' + table(selected.fingers.map(f => [f.from === f.to ? f.from : `${f.from}..${f.to}`, f.start, f.node]), ['fingers', 'first start', 'node']);
    draw();
  }

  return { load, draw, onTrace, showPeer };
}
