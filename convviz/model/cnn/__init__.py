"""A small CNN that learns its filters from labelled images (pure NumPy, no Qt): DESIGN §4c."""

from .data import DIGIT_CLASSES, DIGITS_ATTRIBUTION, DigitsDataset, load_dataset, upsample

__all__ = ["DIGITS_ATTRIBUTION", "DIGIT_CLASSES", "DigitsDataset", "load_dataset", "upsample"]
