// The whole network on one screen: the pipeline's steps, then every layer's maps, painted
// from the compact arrays the server sends (app/ui/network.py builds them). Tap a cell of a
// conv or pool map and the view outlines it, marks the square of the input it can see on
// the crop, the 28×28 and the padded 32×32, and asks the server (event 'lens') for the
// gradient of that unit, which comes back as props.gradient and is laid over the 28×28. Its
// payload comes with each read of the drawing (the document event 'll-read', js/pad.js).

const root = element.querySelector('.ll-net');
let shown = null, selected = null;

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);

const look = props.look;  // sizes from app/ui/look.py

// Map layers get two to a row on a wide screen and one each on a phone, in rows of at most
// look.map_columns maps (C3's 16 maps as two rows of 8: cells big enough to see and tap).
const columnsFor = (layer, wide) => {
  const [channels] = layer.array.shape;
  if (layer.array.shape.length === 3) return Math.min(channels, look.map_columns);
  if (layer.form === 'output') return channels;
  return wide ? Math.ceil(channels / 3) : Math.ceil(channels / 2);
};

// Whole CSS pixels per value on a wide screen (crisp); on a phone whatever fills its width.
const zoomFor = (grid, target, most, wide) => Math.max(1, Math.min(most, wide ? Math.floor(target / grid) : target / grid));

const figure = (caption, className) => {
  const canvas = LL.el('canvas'), frame = LL.el('div', { class: 'll-frame' }, canvas);
  const node = LL.el('figure', { class: className }, frame, LL.el('figcaption', {}, ...caption));
  return { node, canvas, frame };
};

const build = (value) => {
  const wide = root.clientWidth >= look.wide, half = wide ? root.clientWidth / 2 - 24 : root.clientWidth - 8;
  root.replaceChildren();
  shown = { value, steps: {}, layers: {}, width: root.clientWidth };
  const steps = LL.el('div', { class: 'll-steps' });
  for (const step of value.steps) {
    const { node, canvas, frame } = figure([step.caption], 'll-step');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', step.caption);
    const [height, width] = step.array.shape;
    LL.paintGrid(canvas, step.array, 1, step.palette);
    const side = wide ? step.size : Math.round(step.size * look.phone_steps), zoom = side / Math.max(height, width);
    canvas.style.width = `${Math.round(width * zoom)}px`;
    Object.assign(frame.style, { width: `${side}px`, height: `${side}px` });  // any shape, same place
    if (step.role) shown.steps[step.role] = { step, frame, zoom };
    steps.append(node);
  }
  const layers = LL.el('div', { class: 'll-layers' });
  for (const layer of value.layers) {
    // The title and the maps' scale on one line (the scale is empty before a drawing).
    const lines = [LL.el('span', {}, LL.el('b', { text: layer.title }), ' ', LL.el('span', { class: 'll-scale', text: layer.scale }))];
    if (layer.formula) lines.push(LL.el('span', { class: 'll-formula', text: layer.formula }));
    if (layer.field) lines.push(LL.el('span', { class: 'll-field', text: layer.field.text }));
    const { node, canvas, frame } = figure(lines, `ll-layer ll-${layer.form}`);
    const columns = columnsFor(layer, wide);
    const grid = LL.paintGrid(canvas, layer.array, columns, 'activation');
    const output = layer.form === 'output';
    const zoom = zoomFor(canvas.width, output ? Math.min(half, look.output_width) : half,
      output ? look.output_zoom : look.most_zoom, wide);
    canvas.style.width = `${canvas.width * zoom}px`;
    if (layer.form === 'output') {
      const digits = LL.el('div', { class: 'll-digits' }, ...[...Array(grid.width).keys()].map((d) => LL.el('b', { text: d })));
      digits.style.width = canvas.style.width;
      frame.append(digits);
    }
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${layer.title} ${layer.scale}`);
    if (layer.field) {
      canvas.classList.add('ll-tappable');
      canvas.tabIndex = 0;  // the keyboard's tap: arrows move a cell, across the maps
      canvas.setAttribute('aria-keyshortcuts', 'ArrowUp ArrowDown ArrowLeft ArrowRight Enter');
      canvas.setAttribute('aria-label', `${layer.title}: ${value.words.keys}`);
      canvas.addEventListener('click', (event) => tapped(layer, grid, zoom, event));
      canvas.addEventListener('keydown', (event) => stepped(layer, grid, event));
    }
    shown.layers[layer.name] = { layer, grid, zoom, frame };
    layers.append(node);
  }
  // The tap's note beside the steps, in a box of its own: its words never push the layers down.
  const note = LL.el('p', { class: 'll-note', text: value.words.tap, 'aria-live': 'polite' });
  steps.append(note);
  root.append(steps, layers);
  shown.note = note;
};

const mark = (frame, cls, top, left, height, width) => {
  const box = LL.el('div', { class: `ll-mark ${cls}` });
  Object.assign(box.style, { top: `${top}px`, left: `${left}px`, width: `${width}px`, height: `${height}px` });
  frame.append(box);
};

// The input square of the selected cell, on every step that shows the input's pixels.
const drawSelection = () => {
  root.querySelectorAll('.ll-mark, .ll-heat').forEach((node) => node.remove());
  if (!selected || !shown.layers[selected.layer]) return;
  const { layer, grid, zoom, frame } = shown.layers[selected.layer];
  const { channel, y, x } = selected;
  mark(frame, 'll-cell', (Math.floor(channel / grid.columns) * (grid.height + 1) + y) * zoom,
    ((channel % grid.columns) * (grid.width + 1) + x) * zoom, zoom, zoom);
  const { size, jump, start } = layer.field;
  const top = start + y * jump, left = start + x * jump, value = shown.value;
  const clip = (v, most) => Math.max(0, Math.min(most, v));
  for (const { step, frame: stepFrame, zoom: z } of Object.values(shown.steps)) {
    const [h, w] = step.array.shape;
    let [t, l, s] = [top, left, size];
    if (step.role === 'padded') { t += value.padding; l += value.padding; }
    if (step.role === 'crop') {
      if (!value.placement) continue;
      const { top: pt, left: pl, scale } = value.placement;
      [t, l, s] = [(top - pt) / scale, (left - pl) / scale, size / scale];
    }
    const [t0, l0] = [clip(t, h), clip(l, w)], [t1, l1] = [clip(t + s, h), clip(l + s, w)];
    if (t1 > t0 && l1 > l0) mark(stepFrame, 'll-box', t0 * z, l0 * z, (t1 - t0) * z, (l1 - l0) * z);
  }
  // Rows and columns of the 28×28 itself; the padding the square also covers is said in words.
  const side = value.side;
  const clipped = top < 0 || left < 0 || top + size > side || left + size > side;
  shown.note.textContent = fill(value.words.sees, {
    layer: selected.layer, map: channel + 1, y, x, top: clip(top, side - 1), left: clip(left, side - 1),
    bottom: clip(top + size - 1, side - 1), right: clip(left + size - 1, side - 1),
  }) + (clipped ? ' ' + value.words.clipped : '');
  const lens = props.gradient;
  if (lens && lens.layer === selected.layer && lens.channel === channel && lens.y === y && lens.x === x) {
    shown.note.textContent += ' ' + lens.note;
    const input = shown.steps.input;
    if (lens.heat && input) {
      const heat = LL.el('canvas', { class: 'll-heat', 'aria-hidden': 'true' });  // the note says it
      LL.paintGrid(heat, lens.heat, 1, 'heat');
      heat.style.width = `${value.side * input.zoom}px`;
      input.frame.append(heat);
    }
  }
};

// The server is asked for the cell's gradient once the keys rest: one question, not one a key.
let asking = null;
const select = (layer, channel, y, x, wait = 0) => {
  selected = { layer: layer.name, channel, y, x };
  drawSelection();
  clearTimeout(asking);
  asking = setTimeout(() => trigger('lens', selected), wait);
};

const tapped = (layer, grid, zoom, event) => {
  const px = Math.floor(event.offsetX / zoom), py = Math.floor(event.offsetY / zoom);
  const column = Math.floor(px / (grid.width + 1)), row = Math.floor(py / (grid.height + 1));
  const x = px % (grid.width + 1), y = py % (grid.height + 1), channel = row * grid.columns + column;
  if (x >= grid.width || y >= grid.height || channel >= grid.channels) return;  // a gap between maps
  select(layer, channel, y, x);
};

// Arrows move the selected cell, from one map into the next as the grid lays them out;
// Enter or Space picks the first cell when none of this layer's is picked.
const KEYS_REST_MS = 200, MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
const stepped = (layer, grid, event) => {
  const move = MOVES[event.key], pick = event.key === 'Enter' || event.key === ' ';
  if (!move && !pick) return;
  event.preventDefault();
  const here = selected && selected.layer === layer.name ? selected : null;
  if (!here || !move) { select(layer, here ? here.channel : 0, here ? here.y : 0, here ? here.x : 0); return; }
  const { columns, width, height, channels } = grid;
  // The cell's place in the whole grid, moved, then back to (map, row, column).
  const gy = Math.floor(here.channel / columns) * height + here.y + move[0];
  const gx = (here.channel % columns) * width + here.x + move[1];
  const channel = Math.floor(gy / height) * columns + Math.floor(gx / width);
  if (gy < 0 || gx < 0 || gx >= columns * width || channel >= channels) return;
  select(layer, channel, gy % height, gx % width, KEYS_REST_MS);
};

const render = () => {
  const value = props.value;
  if (!value || !value.layers) return;
  // A tapped cell belongs to one drawing read by one network: a new stroke, Clear or another
  // model takes its outline and note away.
  const same = shown && ['model', 'lang', 'drawing'].every((key) => shown.value[key] === value[key]);
  if (!same) selected = null;
  build(value);
  drawSelection();
};

watch('value', render);
// Each read of the drawing (js/pad.js) brings the network's new payload.
document.addEventListener('ll-read', ({ detail }) => {
  if (!detail.view) return;
  props.value = detail.view;
  render();
});
// The prop's name unquoted, as in js/pad.js: Gradio takes each quoted word in this file for a
// custom event of the view, and would then send that event's listener in place of the prop.
watch(Object.keys({ gradient: 0 }), drawSelection);
new ResizeObserver(() => { if (shown && Math.abs(shown.width - root.clientWidth) > 40) render(); }).observe(root);
render();
