"""The Equivariance tab: move the input and a convolution's output moves the same way; a dense layer's does not."""
