// Napster, Gnutella and FastTrack: the topology as rings of hop distance from a root (the searching
// peer once there is a search), a search drawn as its flood wave by wave (wave r = the peers r hops
// away that took the query first), hits ringed, supernodes marked, Napster's server in the middle.
import { colors, waves, prepare, dot, label, animate, legend, table } from './draw.js';

const MAX_EDGES = 20000; // beyond this only the breadth-first tree's links are drawn

export function floodView(v) {
  const size = 720, cx = size / 2, cy = size / 2, outer = 320;
  const protocol = v.overlay.protocol;
  let peers = [], byNode = new Map(), place = new Map(), summary = null, flood = null, shownWaves = 0, root = 0, treeOnly = false;

  async function load() {
    const [{ data }, s] = await Promise.all([v.api('GET', `${v.base}/peers`), v.api('GET', `${v.base}/summary`).catch(() => null)]);
    peers = data.peers;
    byNode = new Map(peers.map(p => [p.node, p]));
    summary = s?.data ?? null;
    layout();
  }

  // Rings of breadth-first distance from the root; each ring in discovery order, so a subtree stays together.
  function layout() {
    place = new Map();
    if (peers.length === 0) return;
    if (protocol === 'napster') {
      peers.forEach((p, i) => place.set(p.node, polar(i / peers.length, outer, 1)));
      return;
    }
    const start = byNode.has(root) ? root : peers[0].node;
    const depth = new Map([[start, 0]]), levels = [[start]], parent = new Map();
    for (let d = 0; levels[d]?.length; d++) {
      const next = [];
      for (const n of levels[d]) for (const m of byNode.get(n)?.neighbours ?? []) {
        if (!byNode.has(m) || depth.has(m)) continue;
        depth.set(m, d + 1); parent.set(m, n); next.push(m);
      }
      if (next.length) levels.push(next);
    }
    const unreached = peers.filter(p => !depth.has(p.node)).map(p => p.node);
    if (unreached.length) levels.push(unreached);
    const rings = levels.length - 1 || 1;
    levels.forEach((level, d) => level.forEach((n, i) => place.set(n, polar((i + 0.5) / level.length, d * outer / rings, d))));
    place.parent = parent;
  }

  // a peer's role without its details: "supernode (25 children)" is a supernode
  function kindOf(p) { return String(p.role).split(' ')[0]; }

  function polar(turns, r, ring) {
    const a = turns * 2 * Math.PI - Math.PI / 2;
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a), ring };
  }

  function draw() {
    const ctx = prepare(v.canvas, size, size);
    const n = peers.length;
    const edges = peers.reduce((sum, p) => sum + p.neighbours.length, 0) / 2;
    treeOnly = edges > MAX_EDGES;
    ctx.strokeStyle = 'rgba(100, 116, 139, 0.18)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (protocol === 'napster') {
      if (n <= 2000) for (const p of peers) { const q = place.get(p.node); ctx.moveTo(cx, cy); ctx.lineTo(q.x, q.y); }
    } else if (treeOnly) {
      for (const [child, par] of place.parent ?? []) { const a = place.get(child), b = place.get(par); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); }
    } else {
      for (const p of peers) for (const m of p.neighbours) {
        if (m < p.node || !place.has(m)) continue;
        const a = place.get(p.node), b = place.get(m);
        ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y);
      }
    }
    ctx.stroke();

    const waveOf = new Map();
    if (flood) flood.waves.slice(0, shownWaves).forEach(w => w.reached.forEach(node => waveOf.set(node, w.round)));
    const hitNodes = new Set(flood && shownWaves >= flood.waves.length ? flood.hits.map(h => h.node) : []);
    const r = n > 3000 ? 1.3 : n > 500 ? 2.2 : 3.5;
    let marks = 0, supernodes = 0;
    for (const p of peers) {
      const q = place.get(p.node);
      const w = waveOf.get(p.node);
      const fill = w !== undefined ? waves[Math.min(w, waves.length - 1)] : flood ? '#d1d5db' : colors.peer;
      const big = kindOf(p) === 'supernode';
      dot(ctx, q.x, q.y, big ? r * 2 : r, fill, big ? colors.ink : null);
      if (big) supernodes++;
      if (hitNodes.has(p.node)) dot(ctx, q.x, q.y, r + 4, null, colors.hot);
      marks++;
    }
    v.canvas.dataset.marks = String(marks);
    v.canvas.dataset.supernodes = String(supernodes);
    if (protocol === 'napster') {
      const up = summary?.server?.up ?? true;
      ctx.fillStyle = up ? colors.ink : colors.hot;
      ctx.fillRect(cx - 14, cy - 14, 28, 28);
      label(ctx, up ? 'server' : 'server down', cx, cy + 26, up ? colors.ink : colors.hot, 'center', 'bold 12px system-ui');
      if (flood) for (const h of hitNodes) { const q = place.get(h); if (q) { ctx.strokeStyle = colors.hot; ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(q.x, q.y); ctx.stroke(); } }
    }
    if (flood && place.has(flood.origin)) { const q = place.get(flood.origin); dot(ctx, q.x, q.y, r + 5, null, colors.ink); label(ctx, `peer ${flood.origin}`, q.x + 9, q.y - 9, colors.ink, 'left', 'bold 11px system-ui'); }

    const roles = {};
    for (const p of peers) roles[kindOf(p)] = (roles[kindOf(p)] ?? 0) + 1;
    v.stats.textContent = `${n.toLocaleString('en')} live peers (${Object.entries(roles).map(([k, c]) => `${c} ${k}`).join(', ')}), ${Math.round(edges).toLocaleString('en')} links`
      + (treeOnly ? ' · only the breadth-first tree is drawn' : '')
      + (summary?.server ? ` · server ${summary.server.up ? 'up' : 'down'}: ${summary.server.peers} peers, ${summary.server.files} files, ${summary.server.searches} searches` : '')
      + (summary?.supernodes ? ` · ${summary.supernodes.length} supernodes` : '');
    legend(v.legend, [...waves.slice(0, 8).map((c, i) => [c, `wave ${i}`]), ['#d1d5db', 'not reached'], [colors.hot, 'hit (ringed)'], ...(protocol === 'fasttrack' ? [[colors.ink, 'supernode (large, outlined)']] : [])]);
    v.drawn();
  }

  function onTrace(entry) {
    const t = entry.trace;
    if (!t.reached) return;
    const waveList = t.waves.length ? t.waves : [{ round: 0, reached: [t.origin], messages: 0 }, { round: 1, reached: t.hits.map(h => h.node), messages: t.message_count }];
    flood = { origin: t.origin, waves: waveList, hits: t.hits };
    if (root !== t.origin && protocol !== 'napster') { root = t.origin; layout(); }
    v.canvas.dataset.reached = [...t.reached].sort((a, b) => a - b).join(',');
    const hitsAt = h => h.path_back.length - 1;
    const rows = waveList.map(w => [w.round, w.reached.length, w.messages, t.hits.filter(h => hitsAt(h) === w.round).length]);
    v.side.innerHTML = `<h3>${t.protocol} search “${v.escapeHtml(t.query)}” from peer ${t.origin}, TTL ${t.ttl}</h3>`
      + (t.error ? `<p class="error">${v.escapeHtml(t.error)}</p>` : '')
      + `<p><b>${t.reached.length}</b> peers reached, <b>${t.message_count}</b> messages, <b>${t.hits.length}</b> hits`
      + (t.hops_to_first_hit != null ? `, first hit ${t.hops_to_first_hit} hops away` : '') + '</p>'
      + table(rows, ['wave (hops)', 'peers reached', 'messages', 'hits'])
      + (t.hits.length ? '<h3>hits (the way back)</h3>' + table(t.hits.slice(0, 30).map(h => [h.node, v.escapeHtml(h.file.name), h.path_back.join(' → ')]), ['peer', 'file', 'path back']) : '');
    v.side.querySelector('table').id = 'waves';
    animate(waveList.length, 450, k => { shownWaves = k; draw(); });
  }

  v.canvas.onclick = async event => {
    const rect = v.canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * size / rect.width, y = (event.clientY - rect.top) * size / rect.height;
    let best = null, bestD = 15 * 15;
    for (const p of peers) { const q = place.get(p.node); const d = (q.x - x) ** 2 + (q.y - y) ** 2; if (d < bestD) { best = p; bestD = d; } }
    if (!best) return;
    try {
      const { data: peer } = await v.api('GET', `${v.base}/peers/${best.node}`);
      v.details.innerHTML = table([['peer', peer.node], ['address', peer.endpoint ? `${peer.endpoint.address >>> 24}.${(peer.endpoint.address >>> 16) & 255}.${(peer.endpoint.address >>> 8) & 255}.${peer.endpoint.address & 255}:${peer.endpoint.port}` : ''],
        ['role', peer.role], ['files', peer.files], ['neighbours', peer.neighbours.join(' ')], ['firewalled', peer.firewalled ? 'yes' : 'no'],
        ['sent', JSON.stringify(peer.sent)], ['received', JSON.stringify(peer.received)], ['duplicates', peer.duplicates], ['reputation', peer.reputation]]);
    } catch (e) { v.showError(e.message); }
  };

  return { load, draw, onTrace };
}
