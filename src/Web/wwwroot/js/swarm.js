// A BitTorrent swarm: piece availability as a peers x pieces heatmap (rows and columns binned when
// there are more than pixels: a cell's shade is then the fraction of bits set), completion over
// simulated time, who unchokes whom, seeds, free riders and banned peers marked.
import { colors, prepare, dot, arrow, label, legend, table } from './draw.js';

const MAX_GRAPH = 200; // the unchoke graph shows the first 200 members (creation order)
const roleColor = { seed: colors.ok, leecher: colors.peer, free_rider: colors.warn, corrupter: '#7c3aed' };

export function swarmView(v) {
  const width = 720, height = 760;
  let data = null, summary = null;

  async function load() {
    // summary first, then the peers: a swarm only moves forward, so bitfields read after a summary
    // that says "done" are complete too (read in parallel, a step landing in between drew "done"
    // over the bitfields of the tick before)
    const { data: s } = await v.api('GET', `${v.base}/summary`);
    const { data: peers } = await v.api('GET', `${v.base}/peers`);
    data = peers;
    summary = s;
  }

  function bits(base64, pieces) {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const out = new Uint8Array(pieces);
    for (let i = 0; i < pieces; i++) out[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
    return out;
  }

  function draw() {
    const ctx = prepare(v.canvas, width, height);
    const peers = data.peers, n = peers.length, pieces = data.pieces;
    const banned = new Set(peers.flatMap(p => p.banned));

    // heatmap
    const hx = 70, hy = 22, hw = width - hx - 10, hh = 330;
    label(ctx, `piece availability: ${n} peers (rows) x ${pieces} pieces (columns)`, hx, 10, colors.ink, 'left', 'bold 12px system-ui');
    const rowsPer = Math.max(1, Math.ceil(n / hh)), colsPer = Math.max(1, Math.ceil(pieces / hw));
    const rows = Math.ceil(n / rowsPer), cols = Math.ceil(pieces / colsPer);
    const cellH = Math.max(1, Math.floor(hh / rows)), cellW = Math.max(1, Math.floor(hw / cols));
    const sums = new Float32Array(rows * cols);
    let have = 0;
    peers.forEach((p, i) => {
      const b = bits(data.bitfields[i], pieces);
      const r = Math.floor(i / rowsPer);
      for (let j = 0; j < pieces; j++) if (b[j]) { sums[r * cols + Math.floor(j / colsPer)]++; have++; }
    });
    const image = ctx.createImageData(cols * cellW, rows * cellH);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      const f = sums[r * cols + c] / (rowsPer * colsPer);
      const shade = [Math.round(239 - 202 * f), Math.round(246 - 147 * f), Math.round(255 - 20 * f)];
      for (let y = 0; y < cellH; y++) for (let x = 0; x < cellW; x++) {
        const o = ((r * cellH + y) * cols * cellW + c * cellW + x) * 4;
        image.data[o] = shade[0]; image.data[o + 1] = shade[1]; image.data[o + 2] = shade[2]; image.data[o + 3] = 255;
      }
    }
    // through an offscreen canvas: drawImage follows the high-density transform, putImageData would not
    const off = document.createElement('canvas');
    off.width = image.width; off.height = image.height;
    off.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, hx, hy);
    peers.forEach((p, i) => {
      if (i % rowsPer) return;
      const y = hy + Math.floor(i / rowsPer) * cellH;
      ctx.fillStyle = roleColor[p.behaviour] ?? colors.muted;
      ctx.fillRect(hx - 10, y, 8, Math.max(1, cellH));
      if (banned.has(p.peer)) { ctx.fillStyle = colors.hot; ctx.fillRect(hx - 20, y, 8, Math.max(1, cellH)); }
      if (p.state === 'gone' || p.state === 'left') { ctx.fillStyle = colors.muted; ctx.fillRect(hx - 30, y, 8, Math.max(1, cellH)); }
    });
    if (rowsPer > 1 || colsPer > 1) label(ctx, `each cell: ${rowsPer} peer(s) x ${colsPer} piece(s), shaded by the fraction held`, hx, hy + rows * cellH + 10, colors.muted);
    v.canvas.dataset.marks = String(n);
    v.canvas.dataset.have = String(have);

    // completion over simulated time
    const progress = summary.progress;
    const cx0 = 50, cy0 = 410, cw = 300, ch = 300;
    label(ctx, 'leechers complete over simulated time', cx0, cy0 - 12, colors.ink, 'left', 'bold 12px system-ui');
    ctx.strokeStyle = colors.line; ctx.strokeRect(cx0, cy0, cw, ch);
    const done = progress.completions.map(c => c.completed_at).sort((a, b) => a - b);
    const tMax = Math.max(progress.time, done[done.length - 1] ?? 0, 1);
    const leechers = Math.max(progress.leechers, 1);
    ctx.strokeStyle = colors.ok; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(cx0, cy0 + ch);
    done.forEach((t, i) => { const x = cx0 + cw * t / tMax; ctx.lineTo(x, cy0 + ch - ch * i / leechers); ctx.lineTo(x, cy0 + ch - ch * (i + 1) / leechers); });
    ctx.lineTo(cx0 + cw * progress.time / tMax, cy0 + ch - ch * done.length / leechers); ctx.stroke();
    const history = summary.history;
    if (history.length > 1) {
      ctx.strokeStyle = colors.peer; ctx.lineWidth = 1; ctx.beginPath();
      history.forEach((h, i) => { const x = cx0 + cw * h.time / tMax, y = cy0 + ch - ch * h.distinct_pieces / Math.max(pieces, 1); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
      ctx.stroke();
    }
    ctx.lineWidth = 1;
    label(ctx, '0', cx0, cy0 + ch + 10, colors.muted); label(ctx, `${tMax.toFixed(0)} s`, cx0 + cw, cy0 + ch + 10, colors.muted, 'right');
    label(ctx, `${leechers}`, cx0 - 4, cy0, colors.muted, 'right');

    // who unchokes whom
    const gx = 540, gy = 560, gr = 140;
    label(ctx, 'who unchokes whom' + (n > MAX_GRAPH ? ` (first ${MAX_GRAPH} members)` : ''), gx - gr - 20, cy0 - 12, colors.ink, 'left', 'bold 12px system-ui');
    const shown = peers.slice(0, MAX_GRAPH);
    const index = new Map(shown.map((p, i) => [p.peer, i]));
    const at = i => [gx + gr * Math.cos(2 * Math.PI * i / shown.length - Math.PI / 2), gy + gr * Math.sin(2 * Math.PI * i / shown.length - Math.PI / 2)];
    let edges = 0;
    shown.forEach((p, i) => p.unchoking.forEach(u => {
      if (!index.has(u)) return;
      const [x1, y1] = at(i), [x2, y2] = at(index.get(u));
      arrow(ctx, x1, y1, x2, y2, 'rgba(22, 163, 74, 0.35)', 1, 0.1);
      edges++;
    }));
    v.canvas.dataset.unchokes = String(edges);
    shown.forEach((p, i) => { const [x, y] = at(i); dot(ctx, x, y, shown.length > 80 ? 2.5 : 4, roleColor[p.behaviour] ?? colors.muted, banned.has(p.peer) ? colors.hot : null); });

    const riders = peers.filter(p => p.behaviour === 'free_rider').length;
    v.stats.textContent = `t = ${progress.time.toFixed(0)} s (${progress.tick} ticks) · ${progress.completed}/${progress.leechers} leechers complete · mean ${(progress.mean_have * 100).toFixed(1)}% held · ${riders} free riders · ${banned.size} banned` + (summary.running ? ' · running…' : progress.done ? ' · done' : '');
    legend(v.legend, [[roleColor.seed, 'seed'], [roleColor.leecher, 'leecher'], [roleColor.free_rider, 'free rider'], [roleColor.corrupter, 'corrupter'], [colors.hot, 'banned by someone'], ['#2563eb', 'piece held (heatmap) / distinct pieces among leechers (chart)'], [colors.ok, 'leechers complete / unchoke']]);
    v.side.innerHTML = table(peers.slice(0, 40).map(p => [v.escapeHtml(p.peer), p.behaviour.replace('_', ' '), `${p.have}/${pieces}`, p.state, p.completed_at != null ? p.completed_at.toFixed(0) : '']), ['peer', 'role', 'pieces', 'state', 'done at s'])
      + (n > 40 ? `<p class="hint">first 40 of ${n} members</p>` : '');
    v.drawn();
  }

  return { load, draw };
}
