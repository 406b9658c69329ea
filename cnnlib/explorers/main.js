// The book's explorers, drawn and computed in the browser (the HTML book with no kernel, and Jupyter):
// one anywidget module, the files of this folder joined by cnnlib.widgets.module_text. Here: the
// EXPLORERS table (kind -> the explorer of a file before this one) and the render anywidget calls;
// network.js, joined after this file, adds itself to EXPLORERS before any render runs.

// --- the widget ---------------------------------------------------------------------------

const EXPLORERS = {
  stamping: stampingExplorer,
  multichannel: multichannelExplorer,
  "output-size": outputSizeExplorer,
  parameters: parameterCounter,
  "receptive-field": receptiveFieldExplorer,
};

export default {
  render({ model, el }) {
    EXPLORERS[model.get("kind")](model, el);
  },
};
