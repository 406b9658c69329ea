"""cnnlib: the code behind cnn-book.

Modules, one per idea of the book:
- cnnlib.conv: convolution and pooling as an explicit stamp loop
- cnnlib.shapes: output sizes, parameter counts and layer tables by formula
- cnnlib.models: the study note's ConvolutionalNeuralNetworkClass
- cnnlib.data: Fashion-MNIST and MNIST
- cnnlib.train: seeding, devices, fit and evaluate
"""

__version__ = "0.1.0"
