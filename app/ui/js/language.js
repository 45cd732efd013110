// The page's language, for the browser (<html lang>: screen readers, fonts, hyphenation) and
// for Gradio's own words (the footer's "Use via API", its menus). Gradio 6.31 takes its locale
// from the browser once; its core module exports changeLocale, found here by its asset name.
// Without it (another Gradio), only Gradio's few words stay in the browser's language.
(language) => {
  document.documentElement.lang = language;
  const core = performance.getEntriesByType('resource').map((entry) => entry.name)
    .find((url) => /\/assets\/core-[\w-]+\.js$/.test(url));
  if (core) import(core).then((gradio) => gradio.changeLocale?.(language)).catch(() => {});
}
