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
  var assets = here.slice(0, here.lastIndexOf("/") + 1);
  var manager = assets + "html-manager";
  // The explorers are anywidgets: the manager asks require.js for the module "anywidget",
  // served by the book too (from npm), so it never falls back to a CDN.
  window.require = { paths: { "@jupyter-widgets": manager, "@jupyter-widgets/html-manager/dist": manager,
                              "anywidget": assets + "anywidget/index" } };

  // The widgets typeset their text with MathJax 2's call, MathJax.Hub.Queue(["Typeset", Hub, element]).
  // The book loads MathJax 3, which has no Hub. Give every MathJax object that the page sets (the
  // configuration first, MathJax itself once loaded) a Hub whose Queue typesets with MathJax 3.
  var mathjax;
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return mathjax; },
    set: function (value) {
      mathjax = value;
      if (value && typeof value === "object" && !value.Hub) {
        value.Hub = {
          Queue: function (job) {
            var element = job && job[2];
            if (mathjax && typeof mathjax.typesetPromise === "function") {
              mathjax.typesetPromise(element ? [element] : undefined);
            }  // before MathJax has loaded, its own first pass typesets the page
          }
        };
      }
    }
  });
})();
