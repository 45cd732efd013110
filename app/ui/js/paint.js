// Shared by every view: turn the server's compact arrays into pixels.
// An array arrives as {shape, data: base64 of uint8 (0..255 over [low, high]), low, high}
// (app/render.py); the page paints it on a canvas at one pixel per value, and CSS scales the
// canvas up with nearest-neighbour (image-rendering: pixelated), so maps stay crisp.

const LL = {};

LL.bytes = (text) => Uint8Array.from(atob(text || ''), (c) => c.charCodeAt(0));

// "magma"-like, dark to bright: a learner reads bright as "this feature fired here".
LL.MAGMA = [[0, 0, 0, 4], [0.25, 81, 18, 124], [0.5, 183, 55, 121], [0.75, 252, 137, 97], [1, 252, 253, 191]];
LL.NEGATIVE = [40, 90, 180];  // below zero (only layers without ReLU have negative values)
LL.GAP = [250, 250, 252];  // between maps, and around a vector's cells

LL.ramp = (anchors, t) => {
  for (let i = 1; i < anchors.length; i++) {
    const [p1, ...c1] = anchors[i], [p0, ...c0] = anchors[i - 1];
    if (t <= p1) { const f = (t - p0) / (p1 - p0); return c0.map((c, k) => Math.round(c + f * (c1[k] - c))); }
  }
  return anchors[anchors.length - 1].slice(1);
};
LL.MAGMA_LUT = Array.from({ length: 256 }, (_, v) => LL.ramp(LL.MAGMA, v / 255));

// The colour of one stored byte of an array quantised over [low, high].
LL.colourer = (array, palette) => {
  const { low, high } = array;
  const value = (byte) => low + (byte / 255) * (high - low);
  if (palette === 'ink') return (b) => [255 - b, 255 - b, 255 - b];           // dark ink on white paper
  if (palette === 'grey') return (b) => [b, b, b];                            // as MNIST stores it
  if (palette === 'heat') return (b) => [255, 60, 0, b];                      // a see-through overlay
  if (palette === 'signed') {                                                 // blue − 0 white + red
    const limit = Math.max(Math.abs(low), Math.abs(high)) || 1;
    return (b) => { const v = value(b) / limit; const w = Math.round(255 * (1 - Math.abs(v)));
      return v >= 0 ? [255, w, w] : [w, w, 255]; };
  }
  if (palette === 'signed-over') {                                            // the same, see-through at 0
    const limit = Math.max(Math.abs(low), Math.abs(high)) || 1;
    return (b) => { const v = value(b) / limit, a = Math.round(255 * Math.min(1, 1.5 * Math.abs(v)));
      return v >= 0 ? [230, 20, 20, a] : [20, 60, 230, a]; };
  }
  return (b) => {                                                          // activations
    const v = value(b);
    if (v >= 0) return LL.MAGMA_LUT[high > 0 ? Math.round((v / high) * 255) : 0];
    const f = low < 0 ? v / low : 0;
    return LL.NEGATIVE.map((c) => Math.round(c * f));
  };
};

LL.EMPTY = [222, 224, 232];  // a map before the first drawing: the architecture, no values yet

// (C, H, W) maps as one grid, `columns` maps a row, one pixel apart; a 2-D array is one map;
// a vector of N values is one block of cells, `columns` wide.
LL.paintGrid = (canvas, array, columns, palette) => {
  const vector = array.shape.length === 1, count = array.shape[0];
  const [channels, height, width] = vector ? [1, Math.ceil(count / columns), columns]
    : array.shape.length === 3 ? array.shape : [1, ...array.shape];
  const across = vector ? 1 : columns, rows = Math.ceil(channels / across);
  canvas.width = across * (width + 1) - 1; canvas.height = rows * (height + 1) - 1;
  const pen = canvas.getContext('2d'), image = pen.createImageData(canvas.width, canvas.height);
  for (let i = 0; i < image.data.length; i += 4) image.data.set([...LL.GAP, 255], i);
  const bytes = array.data ? LL.bytes(array.data) : null, colour = LL.colourer(array, palette);
  for (let c = 0; c < channels; c++) {
    const top = Math.floor(c / across) * (height + 1), left = (c % across) * (width + 1);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
      const at = (c * height + y) * width + x;
      if (vector && at >= count) continue;
      const [r, g, b, a = 255] = bytes ? colour(bytes[at]) : LL.EMPTY;
      image.data.set([r, g, b, a], ((top + y) * canvas.width + left + x) * 4);
    }
  }
  pen.putImageData(image, 0, 0);
  return { channels, height, width, columns: across };
};

LL.el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'text') node.textContent = value; else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
};
