"""The "As a matrix" tab: a convolution is a matrix product with one small set of weights repeated."""
