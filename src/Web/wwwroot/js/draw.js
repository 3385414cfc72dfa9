// Small canvas helpers shared by the views.

export const colors = {
  ink: '#1d2330', muted: '#9ca3af', line: '#d8dbe0', peer: '#2563eb', hot: '#dc2626', ok: '#16a34a',
  warn: '#d97706', key: '#7c3aed', finger: '#0891b2', faint: 'rgba(37, 99, 235, 0.25)',
};

// Waves of a flood, one colour per hop count.
export const waves = ['#111827', '#2563eb', '#0891b2', '#16a34a', '#ca8a04', '#ea580c', '#dc2626', '#db2777', '#7c3aed', '#4b5563'];

// A canvas sharp on high-density screens; returns its 2D context in CSS pixels.
export function prepare(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

// A point on a circle: pos in turns (0 at the top, clockwise).
export function onCircle(pos, radius, cx, cy) {
  const angle = pos * 2 * Math.PI - Math.PI / 2;
  return [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)];
}

export function dot(ctx, x, y, r, fill, stroke) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  if (fill) { ctx.fillStyle = fill; ctx.fill(); }
  if (stroke) { ctx.strokeStyle = stroke; ctx.stroke(); }
}

export function arrow(ctx, x1, y1, x2, y2, color, width = 2, bend = 0) {
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
  const cx = mx + bend * (y1 - y2), cy = my + bend * (x2 - x1);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.quadraticCurveTo(cx, cy, x2, y2);
  ctx.stroke();
  const angle = Math.atan2(y2 - cy, x2 - cx);
  const size = 4 + width * 2;
  ctx.beginPath();
  ctx.moveTo(x2, y2);
  ctx.lineTo(x2 - size * Math.cos(angle - 0.4), y2 - size * Math.sin(angle - 0.4));
  ctx.lineTo(x2 - size * Math.cos(angle + 0.4), y2 - size * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fill();
  ctx.lineWidth = 1;
}

export function label(ctx, text, x, y, color = colors.ink, align = 'left', font = '11px system-ui, sans-serif') {
  ctx.font = font;
  ctx.fillStyle = color;
  ctx.textAlign = align;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x, y);
}

// Replays a path hop by hop: calls frame(k) for k = 1..n, one every `ms`, cancelling the previous replay.
let replay = 0;
export function animate(n, ms, frame) {
  const mine = ++replay;
  let k = 0;
  const next = () => {
    if (mine !== replay) return;
    k++;
    frame(k);
    if (k < n) setTimeout(next, ms);
  };
  next();
}

export function legend(element, items) {
  element.innerHTML = items.map(([color, text]) => `<span class="swatch" style="background:${color}"></span>${text}`).join(' ');
}

export function table(rows, head) {
  const h = head ? `<thead><tr>${head.map(c => `<th>${c}</th>`).join('')}</tr></thead>` : '';
  return `<table>${h}<tbody>${rows.map(r => `<tr>${r.map(c => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
