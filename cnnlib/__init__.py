"""cnnlib: the code behind cnn-book.

Modules, one per idea of the book:
- cnnlib.conv: convolution and pooling as an explicit stamp loop, and convolution as a matrix
- cnnlib.backward: the backward pass, layer by layer, by hand
- cnnlib.shapes: output sizes, parameter counts and layer tables by formula
- cnnlib.models: the study note's ConvolutionalNeuralNetworkClass
- cnnlib.data: Fashion-MNIST and MNIST
- cnnlib.train: seeding, devices, the book's training recipe, fit and evaluate
- cnnlib.viz: pure drawing (figures whose artists are updated with new data)
- cnnlib.widgets: the drawings wired to controls, live in Jupyter and browser-side in the book
- cnnlib.quiz: the chapters' exercises
- cnnlib.experiments: comparisons over several seeds, with a mean and a spread
- cnnlib.words: the words of pictures and printed lines, in the page's language (by template)
- cnnlib.korean: Korean particles after numbers and letters, chosen by rule (and explorers/korean.js)
"""

__version__ = "0.1.0"
