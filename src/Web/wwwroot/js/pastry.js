// Pastry: peers on the ring of ids; a selected peer's routing table (rows x columns, the digit of
// each entry), leaf set and neighbourhood set; a lookup path with the prefix digits matched per hop.
import { colors, prepare, onCircle, dot, arrow, label, animate, legend, table } from './draw.js';

export function pastryView(v) {
  const size = 640, cx = size / 2, cy = size / 2, radius = 260;
  let peers = [], meta = null, selected = null, lookup = null, shownHops = 0;
  v.side.innerHTML = '<div class="trace"></div><div class="state"></div>';
  const traceBox = v.side.querySelector('.trace'), stateBox = v.side.querySelector('.state');

  async function load() {
    const { data } = await v.api('GET', `${v.base}/peers`);
    meta = data;
    peers = data.peers;
    if (selected) {
      try { selected = (await v.api('GET', `${v.base}/peers/${encodeURIComponent(selected.id)}`)).data; } catch { selected = null; }
    }
  }

  function draw() {
    const ctx = prepare(v.canvas, size, size);
    dot(ctx, cx, cy, radius, null, colors.line);
    const r = peers.length > 2000 ? 1.2 : peers.length > 300 ? 2 : 3.5;
    for (const p of peers) { const [x, y] = onCircle(p.pos, radius, cx, cy); dot(ctx, x, y, r, colors.peer); }
    v.canvas.dataset.marks = String(peers.length);
    if (selected) {
      const [sx, sy] = onCircle(selected.pos, radius, cx, cy);
      for (const e of selected.table) { const [x, y] = onCircle(e.pos, radius, cx, cy); arrow(ctx, sx, sy, x, y, 'rgba(37, 99, 235, 0.5)', 1, 0.12); }
      for (const e of selected.neighbourhood) { const [x, y] = onCircle(e.pos, radius - 14, cx, cy); dot(ctx, x, y, 3, colors.warn); }
      for (const e of [...selected.leaf_set.smaller, ...selected.leaf_set.larger]) { const [x, y] = onCircle(e.pos, radius + 10, cx, cy); dot(ctx, x, y, 3, colors.ok); }
      dot(ctx, sx, sy, 7, null, colors.ink);
    }
    if (lookup) {
      const [kx, ky] = onCircle(lookup.key_pos, radius + 30, cx, cy);
      label(ctx, `key ${lookup.key_digits.slice(0, 8)}…`, kx, ky, colors.key, 'center', 'bold 11px system-ui');
      lookup.steps.slice(0, shownHops).forEach((s, i) => {
        const [x, y] = onCircle(s.pos, radius, cx, cy);
        dot(ctx, x, y, 6, i === 0 ? colors.ink : colors.warn);
        label(ctx, `${i}`, x + 8, y + 8, colors.warn, 'left', 'bold 12px system-ui');
        if (i > 0) { const [px, py] = onCircle(lookup.steps[i - 1].pos, radius, cx, cy); arrow(ctx, px, py, x, y, colors.warn, 2.5, 0.2); }
      });
    }
    v.stats.textContent = `${peers.length.toLocaleString('en')} peers · b = ${meta.b} (base ${meta.columns} digits, ${meta.rows} rows)`;
    legend(v.legend, [[colors.peer, 'peer (by id)'], ['rgba(37, 99, 235, 0.5)', 'routing-table entries of the selected peer'], [colors.ok, 'its leaf set'], [colors.warn, 'its neighbourhood set / a lookup path']]);
    v.drawn();
  }

  const highlight = (digits, shared, width) => `<span class="digits"><b>${digits.slice(0, shared * width)}</b>${digits.slice(shared * width)}</span>`;

  function onTrace(entry) {
    const t = entry.trace.steps ? entry.trace : entry.trace.lookup;
    if (!t?.steps) return;
    lookup = t;
    v.canvas.dataset.hops = t.path.join(',');
    traceBox.innerHTML = `<h3>${entry.kind} ${v.escapeHtml(t.key ?? t.key_id)}</h3>`
      + `<p>key <span class="digits">${t.key_digits}</span></p>`
      + `<p>${t.success ? `numerically closest peer <b>${t.owner}</b> after <b>${t.hops}</b> hops, ${t.latency_ms.toFixed(1)} ms simulated` : `failed: ${v.escapeHtml(t.error)}`}</p>`
      + (entry.kind === 'get' ? `<p>value: <b>${v.escapeHtml(entry.trace.value ?? '(not found)')}</b></p>` : '')
      + table(t.steps.map((s, i) => [i, highlight(s.digits, s.shared, t.digit_width), s.shared, s.rtt_ms.toFixed(1), v.escapeHtml(s.reason)]), ['hop', 'peer digits (shared with the key in green)', 'digits shared', 'rtt ms', 'why']);
    traceBox.querySelector('table').id = 'hops';
    animate(t.steps.length, 350, k => { shownHops = k; draw(); });
  }

  function routingTable(s) {
    const rows = Math.max(1, ...s.table.map(c => c.row + 1)) + 1;
    let html = `<table class="routing"><thead><tr><th>row</th>${Array.from({ length: s.columns }, (_, c) => `<th>${c.toString(16)}</th>`).join('')}</tr></thead><tbody>`;
    for (let r = 0; r < Math.min(rows, s.own_digits.length); r++) {
      html += `<tr><th>${r}</th>`;
      for (let c = 0; c < s.columns; c++) {
        const e = s.table.find(x => x.row === r && x.column === c);
        if (c === s.own_digits[r]) html += '<td class="own" title="the peer\'s own digit">·</td>';
        else if (e) html += `<td class="filled" title="${e.id}">${e.digits.slice(r, r + 3)}</td>`;
        else html += '<td></td>';
      }
      html += '</tr>';
    }
    return html + '</tbody></table>';
  }

  async function showPeer(id) {
    try { selected = (await v.api('GET', `${v.base}/peers/${encodeURIComponent(id)}`)).data; } catch (e) { v.showError(e.message); return; }
    v.details.innerHTML = table([['peer', `<span class="digits">${selected.digits}</span>`], ['address', v.escapeHtml(selected.address)], ['keys', selected.keys],
      ['messages', `${selected.lookup_messages} lookup, ${selected.maintenance_messages} maintenance`]]);
    stateBox.innerHTML = `<h3>routing table of ${selected.digits.slice(0, 8)}… (${selected.table.length} entries; a cell shows the entry's next digits)</h3>` + routingTable(selected)
      + '<h3>leaf set</h3>' + table([['smaller', selected.leaf_set.smaller.map(e => e.digits.slice(0, 6)).join(' ')], ['larger', selected.leaf_set.larger.map(e => e.digits.slice(0, 6)).join(' ')]])
      + `<h3>neighbourhood set (${selected.neighbourhood.length})</h3><p class="digits">${selected.neighbourhood.map(e => e.digits.slice(0, 6)).join(' ')}</p>`;
    stateBox.querySelector('table.routing').id = 'routing';
    draw();
  }

  v.canvas.onclick = async event => {
    const rect = v.canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * size / rect.width - cx, y = (event.clientY - rect.top) * size / rect.height - cy;
    if (Math.abs(Math.hypot(x, y) - radius) > 25 || peers.length === 0) return;
    const pos = ((Math.atan2(y, x) + Math.PI / 2) / (2 * Math.PI) + 1) % 1;
    const gap = p => Math.min(Math.abs(p.pos - pos), 1 - Math.abs(p.pos - pos));
    await showPeer(peers.reduce((a, b) => (gap(b) < gap(a) ? b : a)).id);
  };

  return { load, draw, onTrace, showPeer };
}
