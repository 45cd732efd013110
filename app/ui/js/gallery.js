// A gallery of small maps with captions, painted from compact arrays: the kernels, the
// attribution and occlusion maps, the variants of a stress test. A figure may carry row and
// column numbers (kernels: one row per output map, one column per input map) and an SVG chart.

const root = element.querySelector('.ll-gallery');

const render = () => {
  const value = props.value;
  root.replaceChildren();
  if (!value || !value.figures) return;
  for (const item of value.figures) {
    const figure = LL.el('figure', { class: 'll-fig' });
    if (item.svg) {
      figure.innerHTML = item.svg;  // built by the server from numbers only (app/charts.py)
    } else {
      const canvas = LL.el('canvas');
      const grid = LL.paintGrid(canvas, item.array, item.columns || 1, item.kind);
      canvas.style.width = `${canvas.width * item.zoom}px`;
      const frame = LL.el('div', { class: 'll-frame' }, canvas);
      if (item.numbered) {  // 1-based numbers along the top (columns) and the left (rows)
        const step = (grid.width + 1) * item.zoom, rows = Math.ceil(grid.channels / grid.columns);
        const top = LL.el('div', { class: 'll-cols' }, ...[...Array(grid.columns).keys()].map((i) => LL.el('i', { text: i + 1 })));
        const left = LL.el('div', { class: 'll-rows' }, ...[...Array(rows).keys()].map((i) => LL.el('i', { text: i + 1 })));
        top.style.gridTemplateColumns = `repeat(${grid.columns}, ${step}px)`;
        left.style.gridTemplateRows = `repeat(${rows}, ${(grid.height + 1) * item.zoom}px)`;
        frame.classList.add('ll-numbered');
        frame.prepend(top, left);
      }
      figure.append(frame);
    }
    if (item.caption) figure.append(LL.el('figcaption', { text: item.caption }));
    root.append(figure);
  }
  if (value.note) root.append(LL.el('p', { class: 'll-note', text: value.note }));
};

watch('value', render);
render();
