// The drawing pad: a plain canvas the page owns (no Gradio internals), its pen, Undo/Redo,
// Clear and the MNIST examples. Its value is the drawing as a PNG data URL, which it has the
// server read (POST /read, app/ui/reading.py) while the pen moves, at most every LIVE_MS (less
// often while the server is busy), once more when the stroke ends, and whenever props.reading
// (model, language, checkpoint) changes; each answer goes to the page as the event 'll-read'.
// What the page shows now is on the pad's element for the live panels (js/gallery.js):
// data-shown, the stamp of the last drawing read (app/ui/shown.py), and data-settled, false
// while the pen is down or a read is on its way; each change is the document event 'll-pad'.
// `element`, `props` and `watch` come from gr.HTML's js_on_load.

const SIDE = props.side, LIVE_MS = 150;
const root = element.querySelector('.ll-pad'), paper = element.querySelector('canvas');
const pen = paper.getContext('2d');
let strokes = [], undone = [], background = null, example = null, current = null, lastLive = 0, sent = '';
let restored = false;  // whether the address may be written (see share, below)
// A link's drawing is read first with the link's model, language and checkpoint, not the
// page's defaults (which showed another model's answer for half a second): the pad waits for
// the reading prop the server sets once it has restored the link (app/ui/page.py, follow_link).
// The visitor's own stroke or button, or LINK_WAIT_MS without it, ends the wait.
const LINK_WAIT_MS = 3000;
let awaitingLink = location.hash.length > 1;

const redraw = () => {
  pen.fillStyle = '#fff'; pen.fillRect(0, 0, SIDE, SIDE);
  if (background) pen.drawImage(background, 0, 0, SIDE, SIDE);
  pen.lineCap = pen.lineJoin = 'round'; pen.strokeStyle = '#000'; pen.fillStyle = '#000';
  for (const { width, points } of strokes) {
    pen.lineWidth = width;
    pen.beginPath(); pen.moveTo(...points[0]);
    for (const point of points.slice(1)) pen.lineTo(...point);
    if (points.length === 1) { pen.arc(...points[0], width / 2, 0, 2 * Math.PI); pen.fill(); } else pen.stroke();
  }
};

// One read in flight; drawings made meanwhile are read when it returns, the latest only.
// Back-pressure: while the server is busy (429, 502–504, no answer, or an answer slower than
// SLOW_MS) the pad reads less often, its interval doubling up to MAX_MS, and halves it again
// with each quick answer. A read that got no answer is tried again after that interval, until
// it is answered or a newer drawing replaces it: the last drawing of a stroke is always read.
const SLOW_MS = 400, MAX_MS = 1000, RETRIES = 30, BUSY = [429, 502, 503, 504];
let interval = LIVE_MS, reading = false, again = false, readWith = '';
const paced = (busy) => { interval = busy ? Math.min(2 * interval, MAX_MS) : Math.max(LIVE_MS, interval / 2); };
const ask = async () => {
  const { model, language, checkpoint } = props.reading;
  readWith = JSON.stringify([model, language, checkpoint]);
  // The drawing is the pad's: Gradio's first value ('') may land after a link's drawing was sent.
  if (props.value !== sent) props.value = sent;
  for (let tries = 0; tries <= RETRIES; tries++) {
    if (tries) await new Promise((wait) => setTimeout(wait, interval * (0.75 + Math.random() / 2)));
    const start = performance.now();
    try {
      const reply = await fetch('read', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                          body: JSON.stringify([sent, model, language, checkpoint]) });
      if (reply.ok) { paced(performance.now() - start > SLOW_MS); return await reply.json(); }
      if (!BUSY.includes(reply.status)) return null;  // refused (signed out, too large): asking again won't help
    } catch (error) { console.warn('read failed', error); }
    paced(true);
    if (again) return null;  // a newer drawing is waiting: read that instead
  }
  return null;
};
const publish = (state) => {
  Object.assign(root.dataset, state);
  document.dispatchEvent(new CustomEvent('ll-pad'));
};
const read = async () => {
  if (awaitingLink) return;
  if (reading) { again = true; return; }
  reading = true;
  publish({ settled: false });
  try {
    do {
      again = false;
      const answer = await ask();
      if (answer?.shown) root.dataset.shown = answer.shown;
      if (answer) document.dispatchEvent(new CustomEvent('ll-read', { detail: answer }));
    } while (again);
  } finally {
    reading = false;
    publish({ settled: !current });
  }
};

const send = () => {
  const drawing = strokes.length || background ? paper.toDataURL('image/png') : '';
  if (drawing === sent) return;  // unchanged: no request
  sent = props.value = drawing;
  read();
};

// Points on the grid a link keeps them on (js/link.js), so a shared drawing is this one exactly.
const at = (event) => {
  const box = paper.getBoundingClientRect(), grid = (v) => (Math.round((v / SIDE) * 255) * SIDE) / 255;
  return [grid((event.clientX - box.left) * SIDE / box.width), grid((event.clientY - box.top) * SIDE / box.height)];
};

paper.addEventListener('pointerdown', (event) => {
  paper.setPointerCapture(event.pointerId);
  current = { width: Number(element.querySelector('.ll-size').value), points: [at(event)] };
  strokes.push(current); undone = []; restored = true; awaitingLink = false;
  element.querySelector('.ll-broken').hidden = true;
  redraw();
  publish({ settled: false });
});
paper.addEventListener('pointermove', (event) => {
  if (!current) return;
  current.points.push(at(event));
  redraw();
  if (event.timeStamp - lastLive > interval) { lastLive = event.timeStamp; send(); }
});
const finish = () => {
  if (!current) return;
  current = null;
  send();
  if (!reading) publish({ settled: true });  // the drawing did not change: nothing to read
};
paper.addEventListener('pointerup', finish);
paper.addEventListener('pointercancel', finish);

element.addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  restored = true; awaitingLink = false;
  if (button.classList.contains('ll-undo') && strokes.length) undone.push(strokes.pop());
  else if (button.classList.contains('ll-redo') && undone.length) strokes.push(undone.pop());
  else if (button.classList.contains('ll-clear')) { strokes = []; undone = []; background = null; example = null; }
  else if (button.dataset.example !== undefined) { pick(button, Number(button.dataset.example)); strokes = []; return; }
  else return;
  redraw(); send();
});

// An example under the drawing: it replaces the drawing's history, so Undo never steps back
// into it; strokes drawn since (a link's) stay on top.
const pick = (button, index) => {
  const image = new Image();
  image.onload = () => { background = image; example = index; undone = []; redraw(); send(); };
  image.src = button.querySelector('img').src;
};

// The address follows what is on screen (js/link.js); written once the server has set the
// reading prop from the address (app/ui/link.py) or the visitor has drawn: never over a
// link before the page has read it.
const share = () => {
  if (!restored) return;
  const { model, language, checkpoint } = props.reading;
  const tab = document.querySelector('#panels [role=tab][aria-selected=true]')?.dataset.tabId;
  LINK.write({ l: language, m: model, c: checkpoint, t: tab === 'layers' ? null : tab, e: example }, strokes, SIDE);
};
document.addEventListener('ll-pad', () => { if (root.dataset.settled === 'true') share(); });
document.addEventListener('click', (event) => { if (event.target.closest('#panels')) setTimeout(share, 100); });

// The prop's name unquoted: Gradio takes each quoted word in this file for a custom event of
// the pad, and would then send that event's listener in place of the prop through its API.
// The same reading set again (a link's, then its language's) asks nothing more.
watch(Object.keys({ reading: 0 }), () => {
  restored = true;
  const { model, language, checkpoint } = props.reading;
  if (!awaitingLink && JSON.stringify([model, language, checkpoint]) === readWith) return;
  awaitingLink = false;
  read();
});

// A link's drawing: an example, strokes, or both; a link too long or damaged says so.
const opened = () => {
  const link = LINK.read(), chosen = Number(link.get('e') ?? -1), drawn = link.get('d');
  const refused = () => { element.querySelector('.ll-broken').hidden = false; };
  if (location.hash.length > LINK.MOST) return refused();
  const linked = drawn ? LINK.decode(drawn, SIDE, props.pen) : [];
  if (linked === null) return refused();
  strokes = linked;
  const button = Number.isInteger(chosen) && chosen >= 0 ? element.querySelector(`[data-example="${chosen}"]`) : null;
  if (button) pick(button, chosen); else if (strokes.length) { redraw(); send(); }
};
redraw();
opened();
// A link's panel, slider and pad are set by the server (app/ui/link.py): asked only for a link.
if (location.hash.length > 1) {
  setTimeout(() => trigger('linked', { hash: location.hash.slice(1, LINK.MOST + 2),
                                       browser: navigator.languages?.[0] || navigator.language || '' }));
  setTimeout(() => { if (awaitingLink) { awaitingLink = false; read(); } }, LINK_WAIT_MS);
}
