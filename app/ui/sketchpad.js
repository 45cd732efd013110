() => {
  // Runs once at page load. Two fixes for gr.Sketchpad in Gradio 6.31:
  //
  // 1. No tool is selected at load or after Clear: click Brush until it stays selected.
  // 2. Its own .change sends the canvas as PNG files several times per stroke (its value
  //    is re-exported and re-uploaded on every status update), over a second per stroke.
  //    Instead, at the end of each stroke (and after Undo, Redo, Clear) copy the canvas out
  //    of the editor's pixi renderer, as Gradio's composite export does, keep it as a data
  //    URL in window.llDrawing, and click a hidden button whose event sends just that text.
  //    The Sketchpad itself is never an event input, so its uploads never start.
  //    Relies on Gradio's editor keeping its pixi app in globalThis.__PIXI_APP__.
  if (window.llInstalled) return;
  window.llInstalled = true;
  const SKETCH = '#sketchpad', SEND = '#send-drawing', SIDE = __CANVAS__;
  const BRUSH = SKETCH + ' .toolbar-wrap .half-container:first-child button:first-child';

  const selectBrush = () => {
    let held = 0, tries = 0;
    const tick = () => {
      const button = document.querySelector(BRUSH);
      if (button && button.classList.contains('highlight')) { if (++held >= 4) return; }
      else { held = 0; if (button) button.click(); }
      if (++tries < 100) setTimeout(tick, 100);
    };
    tick();
  };

  const grab = () => {
    const app = window.__PIXI_APP__;
    if (!app || !app.renderer || !app.canvas?.closest?.(SKETCH)) return null;
    const layers = app.stage.children.find(child => child.sortableChildren);  // the image container
    if (!layers) return null;
    const frame = new app.screen.constructor(0, 0, SIDE, SIDE);
    const source = app.renderer.extract.canvas({ target: layers, frame, resolution: 1 });
    const paper = document.createElement('canvas');
    paper.width = source.width; paper.height = source.height;
    const pen = paper.getContext('2d');
    pen.fillStyle = '#fff'; pen.fillRect(0, 0, paper.width, paper.height);
    pen.drawImage(source, 0, 0);
    return paper.toDataURL('image/png');
  };

  window.llSend = () => {
    let drawing = null;
    try { drawing = grab(); } catch (error) { console.error('LeNet Lens: cannot read the canvas', error); }
    if (!drawing || drawing === window.llDrawing) return;  // unchanged: no request
    window.llDrawing = drawing;
    document.querySelector(SEND)?.click();
  };

  let drawing = false;
  document.addEventListener('pointerdown', e => { if (e.target.closest?.(SKETCH + ' canvas')) drawing = true; }, true);
  document.addEventListener('pointercancel', () => { drawing = false; }, true);
  // pixi commits a stroke in its own capture-phase pointerup; this bubble-phase one runs after it.
  window.addEventListener('pointerup', () => { if (drawing) { drawing = false; window.llSend(); } });
  document.addEventListener('click', e => {
    const button = e.target.closest?.(SKETCH + ' button');
    if (!button) return;
    setTimeout(window.llSend, 30);
    setTimeout(window.llSend, 300);
    // Clear leaves no tool selected (whatever the page's language calls the button).
    setTimeout(() => { if (!document.querySelector(SKETCH + ' .toolbar-wrap button.highlight')) selectBrush(); }, 300);
  }, true);
  selectBrush();
}
