// The page's state in its address (as TensorFlow Playground keeps its in the hash), so that a
// link reopens what is on screen: #l=language&m=model&c=checkpoint&t=tab&e=example&d=strokes.
// Nothing is stored on the server: any replica opens it. The strokes go as bytes in base64url:
// per stroke its pen width, its point count (2 bytes) and each point's x and y scaled to 0–255
// (the pad draws on that grid, js/pad.js).
// A hash longer than LINK.MOST, or strokes that do not decode, are refused with a message.

const LINK = { MOST: 4096, KEYS: ['l', 'm', 'c', 't', 'e', 'd'] };

LINK.encode = (strokes, side) => {
  let bytes = [];
  for (const { width, points } of strokes) {
    const kept = points.slice(0, 65535);
    bytes.push(Math.round(width), kept.length >> 8, kept.length & 255);
    for (const [x, y] of kept) bytes.push(Math.round((x / side) * 255) & 255, Math.round((y / side) * 255) & 255);
  }
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

// Strokes back from the hash, or null when the text is not strokes this page wrote.
LINK.decode = (text, side, pen) => {
  let bytes;
  try { bytes = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)); }
  catch (error) { return null; }
  const strokes = [];
  for (let at = 0; at < bytes.length;) {
    const width = bytes[at], count = (bytes[at + 1] << 8) | bytes[at + 2];
    at += 3;
    if (!(width >= pen.min && width <= pen.max) || count < 1 || at + 2 * count > bytes.length) return null;
    const points = [];
    for (let i = 0; i < count; i++, at += 2) points.push([(bytes[at] / 255) * side, (bytes[at + 1] / 255) * side]);
    strokes.push({ width, points });
  }
  return strokes;
};

LINK.read = () => new URLSearchParams(location.hash.slice(1));

// The whole state, written over the address's hash (no new history entry per stroke). Strokes
// too long for the limit are thinned (every other point) until they fit.
LINK.write = (state, strokes, side) => {
  const hash = new URLSearchParams();
  for (const key of LINK.KEYS) if (state[key] !== undefined && state[key] !== null && state[key] !== '') hash.set(key, state[key]);
  let thinned = strokes;
  for (let tries = 0; tries < 8; tries++) {
    if (thinned.length) hash.set('d', LINK.encode(thinned, side)); else hash.delete('d');
    if (hash.toString().length < LINK.MOST) break;
    thinned = thinned.map(({ width, points }) => ({ width, points: points.filter((_, i) => i % 2 === 0 || i === points.length - 1) }));
  }
  history.replaceState(null, '', `#${hash}`);
};
