// The answer card follows every read of the drawing (js/pad.js sends 'll-read'), and so do the
// Why button's words ('Why 7?'). `props` comes from gr.HTML's js_on_load.
document.addEventListener('ll-read', ({ detail }) => {
  props.value = detail.card;
  const ask = document.getElementById('ask');
  if (ask && detail.ask) ask.textContent = detail.ask;
});
