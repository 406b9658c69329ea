// Set-up for the Jupyter widgets that the book's pages embed. Runs before the theme's scripts.
(function () {
  // The theme's Font Awesome replaces every <i class="fa ..."> icon by an <svg>. The widgets'
  // Play button switches its icon through that <i> (play <-> pause) and throws when it is
  // gone, so Play never starts. "nest" puts the <svg> inside the <i> instead.
  window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, { autoReplaceSvg: "nest" });
  // The widget manager finds its icon fonts beside its own modules, and require.js names
  // those modules "@jupyter-widgets/...". Map that name to _static/html-manager/, where the
  // book serves them. A global `require` object read before require.js loads is its config.
  var here = document.currentScript.src;  // .../_static/widgets-setup.js?v=...
  var manager = here.slice(0, here.lastIndexOf("/") + 1) + "html-manager";
  window.require = { paths: { "@jupyter-widgets": manager, "@jupyter-widgets/html-manager/dist": manager } };
})();
