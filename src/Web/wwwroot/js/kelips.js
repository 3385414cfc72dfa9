// Kelips: the k affinity groups as a grid, each shaded by view completeness (how many of its live
// members each member's view holds) with a bar for filetuple coverage; a peer's contacts as links
// from its group to the others; a lookup's one hop from the asker's group to the file's group.
import { colors, prepare, arrow, label, animate, legend, table } from './draw.js';

export function kelipsView(v) {
  const size = 640;
  let meta = null, check = null, selected = null, lookup = null, shown = 0;

  async function load() {
    const [{ data }, { data: summary }] = await Promise.all([v.api('GET', `${v.base}/peers`), v.api('GET', `${v.base}/summary`)]);
    meta = data;
    check = summary.check;
    if (selected) { try { selected = (await v.api('GET', `${v.base}/peers/${encodeURIComponent(selected.id)}`)).data; } catch { selected = null; } }
  }

  function cell(g) {
    const k = meta.groups, cols = Math.ceil(Math.sqrt(k)), w = (size - 20) / cols;
    return { x: 10 + (g % cols) * w, y: 10 + Math.floor(g / cols) * w, w: w - 3 };
  }

  function shade(f) { return `hsl(${Math.round(120 * f)}, 65%, ${Math.round(78 - 18 * f)}%)`; }

  function draw() {
    const ctx = prepare(v.canvas, size, size);
    const byGroup = new Map(check.groups.map(g => [g.group, g]));
    let marks = 0;
    for (let g = 0; g < meta.groups; g++) {
      const c = cell(g), s = byGroup.get(g);
      ctx.fillStyle = s && s.members ? shade(s.view_completeness) : '#f3f4f6';
      ctx.fillRect(c.x, c.y, c.w, c.w);
      if (s && s.files) { ctx.fillStyle = colors.key; ctx.fillRect(c.x, c.y + c.w - 4, c.w * s.file_tuple_coverage, 4); }
      if (c.w > 28) label(ctx, `${g}: ${s?.members ?? 0}`, c.x + 3, c.y + 9, colors.ink, 'left', '10px system-ui');
      if (selected && selected.group === g) { ctx.strokeStyle = colors.ink; ctx.lineWidth = 2; ctx.strokeRect(c.x, c.y, c.w, c.w); ctx.lineWidth = 1; }
      marks += s?.members ?? 0;
    }
    v.canvas.dataset.marks = String(marks);
    v.canvas.dataset.groups = String(meta.groups);
    const centre = g => { const c = cell(g); return [c.x + c.w / 2, c.y + c.w / 2]; };
    if (selected) {
      const [sx, sy] = centre(selected.group);
      for (const contact of selected.contacts) { const [x, y] = centre(contact.group); arrow(ctx, sx, sy, x, y, 'rgba(8, 145, 178, 0.45)', 1, 0.1); }
    }
    if (lookup && shown > 0 && lookup.steps.length > 1) {
      for (let i = 1; i < Math.min(shown + 1, lookup.steps.length); i++) {
        const [x1, y1] = centre(lookup.steps[i - 1].group), [x2, y2] = centre(lookup.steps[i].group);
        arrow(ctx, x1, y1, x2, y2, colors.warn, 3, 0.2);
      }
    }
    v.stats.textContent = `${check.peers} live peers in k = ${check.group_count} affinity groups · views ${(check.view_completeness * 100).toFixed(1)}% complete · contacts ${(check.contact_coverage * 100).toFixed(1)}% · filetuples ${(check.file_tuple_coverage * 100).toFixed(1)}% of ${check.files} files`;
    legend(v.legend, [[shade(1), 'every view complete'], [shade(0.5), 'half'], [shade(0), 'empty views'], [colors.key, 'filetuple coverage (bar)'], ['rgba(8, 145, 178, 0.45)', "the selected peer's contacts"], [colors.warn, 'a lookup']]);
    v.side.innerHTML = (v.side.dataset.trace ?? '') + table(check.groups.slice(0, 64).map(g => [g.group, g.members, g.files, `${(g.view_completeness * 100).toFixed(0)}%`, `${(g.file_tuple_coverage * 100).toFixed(0)}%`]), ['group', 'members', 'files', 'view', 'filetuples']);
    v.drawn();
  }

  function onTrace(entry) {
    const t = entry.trace;
    if (!t.steps) { v.side.dataset.trace = `<p>inserted ${v.escapeHtml(t.file)} at home ${t.home} (group ${t.group})</p>`; draw(); return; }
    lookup = t;
    v.canvas.dataset.hops = t.path.join(',');
    v.side.dataset.trace = `<h3>lookup ${v.escapeHtml(t.file)} (group ${t.group})</h3>`
      + `<p>${t.success ? `home <b>${t.home}</b> after <b>${t.hops}</b> hop(s), ${t.latency_ms.toFixed(1)} ms; ${t.fetched ? `fetched (+${t.fetch_rtt_ms.toFixed(1)} ms)` : 'not fetched'}` : `failed: ${v.escapeHtml(t.error)}`}</p>`
      + table(t.steps.map((s, i) => [i, s.id, s.group, v.escapeHtml(s.reason)]), ['hop', 'peer', 'group', 'why']).replace('<table>', '<table id="hops">')
      + '<h3>affinity groups</h3>';
    animate(Math.max(1, t.steps.length - 1), 400, k => { shown = k; draw(); });
  }

  v.canvas.onclick = async event => {
    const rect = v.canvas.getBoundingClientRect();
    const x = (event.clientX - rect.left) * size / rect.width, y = (event.clientY - rect.top) * size / rect.height;
    for (let g = 0; g < meta.groups; g++) {
      const c = cell(g);
      if (x < c.x || y < c.y || x > c.x + c.w || y > c.y + c.w) continue;
      const member = meta.peers.find(p => p.group === g);
      if (member) await showPeer(member.id);
      return;
    }
  };

  // a member's state: its group, view, and its contacts, drawn as links from its group to theirs
  async function showPeer(id) {
    try { selected = (await v.api('GET', `${v.base}/peers/${encodeURIComponent(id)}`)).data; } catch (e) { v.showError(e.message); return; }
    v.details.innerHTML = table([['peer', selected.id], ['group', selected.group], ['view', `${selected.view.length} group mates`], ['contacts', `${selected.contacts.length} in ${new Set(selected.contacts.map(c => c.group)).size} groups`], ['filetuples', selected.filetuples], ['hosted files', selected.hosted_files.length]])
      + '<h3>contacts</h3>' + table(selected.contacts.map(c => [c.group, c.id, c.rtt_ms]), ['group', 'contact', 'rtt ms']).replace('<table>', '<table id="contacts">');
    draw();
  }

  return { load, draw, onTrace, showPeer };
}
