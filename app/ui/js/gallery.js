// A gallery of small maps with captions, painted from compact arrays: the kernels, the
// attribution and occlusion maps, the stress sweeps. A figure may be laid over a base image,
// carry row and column numbers (kernels: a row per output map, a column per input map), be
// an SVG chart, or hold a row of smaller figures under its own.

const root = element.querySelector('.ll-gallery');

const numbered = (frame, grid, zoom) => {  // 1-based numbers along the top and the left
  const rows = Math.ceil(grid.channels / grid.columns);
  const top = LL.el('div', { class: 'll-cols' }, ...[...Array(grid.columns).keys()].map((i) => LL.el('i', { text: i + 1 })));
  const left = LL.el('div', { class: 'll-rows' }, ...[...Array(rows).keys()].map((i) => LL.el('i', { text: i + 1 })));
  top.style.gridTemplateColumns = `repeat(${grid.columns}, ${(grid.width + 1) * zoom}px)`;
  left.style.gridTemplateRows = `repeat(${rows}, ${(grid.height + 1) * zoom}px)`;
  frame.classList.add('ll-numbered');
  frame.prepend(top, left);
};

const draw = (item) => {
  const figure = LL.el('figure', { class: 'll-fig' });
  if (item.svg) {
    figure.innerHTML = item.svg;  // built by the server from numbers only (app/charts.py)
  } else if (item.array) {
    const canvas = LL.el('canvas', { role: 'img', 'aria-label': item.caption || '' });
    const grid = LL.paintGrid(canvas, item.array, item.columns || 1, item.palette);
    canvas.style.width = `${canvas.width * item.zoom}px`;
    const frame = LL.el('div', { class: 'll-frame' }, canvas);
    if (item.base) {  // a map laid over the image it explains
      const base = LL.el('canvas', { 'aria-hidden': 'true' });  // named by the map laid over it
      LL.paintGrid(base, item.base.array, 1, item.base.palette);
      base.style.width = canvas.style.width;
      canvas.classList.add('ll-overlay');
      frame.prepend(base);
    }
    if (item.numbered) numbered(frame, grid, item.zoom);
    figure.append(frame);
  }
  if (item.caption) figure.append(LL.el('figcaption', { text: item.caption }));
  if (item.figures) figure.append(LL.el('div', { class: 'll-row' }, ...item.figures.map(draw)));
  if (item.differs) figure.classList.add('ll-differs');  // a model that reads another digit
  return figure;
};

const render = () => {
  const value = props.value;
  root.replaceChildren();
  if (!value || !value.figures) return;
  if (value.lead) root.append(LL.el('p', { class: 'll-lead', text: value.lead }));
  root.append(...value.figures.map(draw));
  if (value.note) root.append(LL.el('p', { class: 'll-note', text: value.note }));
};

// A live panel (props.live: Why, Stress, Compare) follows what the page shows: a result made
// for another drawing, model, checkpoint or language (its `shown` stamp is not the pad's,
// js/pad.js) is marked as such, and asked again (the event 'refresh') once the pen is up and
// the panel is on screen; at most twice for one stamp, so a mismatch cannot loop.
const pad = document.querySelector('#pad .ll-pad');
let askedFor = null, asks = 0;
const follow = () => {
  if (!props.live || !pad) return;
  const now = pad.dataset.shown, settled = pad.dataset.settled !== 'false';
  const fresh = settled && props.value?.shown === now;  // both unset before the first read
  root.classList.toggle('ll-stale', !fresh);
  root.dataset.stale = props.value?.stale || '';
  root.dataset.shown = props.value?.shown || '';  // what it was made for, beside the pad's
  if (fresh || !settled || root.offsetParent === null) return;
  if (askedFor !== now) { askedFor = now; asks = 0; }
  if (asks < 2) { asks += 1; trigger('refresh'); }
};

watch('value', () => { render(); follow(); });
document.addEventListener('ll-pad', follow);
new ResizeObserver(follow).observe(root);  // a tab opened: the panel comes on screen
render();
follow();
