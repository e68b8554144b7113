"""Files in and out: images (Pillow), kernels (JSON, ``.npy``), bundled samples. Never imports Qt.

Every unusable file raises a ``ValueError`` subclass whose message is one
sentence naming the file: :class:`ImageFileError`, :class:`KernelFileError`,
and :class:`OutputFileError` for destinations that cannot be written.
"""

from ._files import OutputFileError
from .images import IMAGE_EXTENSIONS, IMAGE_FILE_FILTER, MAX_PIXELS, ImageFileError, load_image, save_png
from .kernels import (
    KERNEL_FILE_FILTER,
    KERNEL_FORMAT,
    KERNEL_FORMAT_VERSION,
    MAX_KERNEL_CHANNELS,
    MAX_KERNEL_SIDE,
    KernelFile,
    KernelFileError,
    load_kernel,
    read_kernel_file,
    save_kernel,
)
from .samples import DEFAULT_SAMPLE, SAMPLES, sample_path

__all__ = [
    "DEFAULT_SAMPLE", "SAMPLES", "sample_path",
    "IMAGE_EXTENSIONS", "IMAGE_FILE_FILTER", "KERNEL_FILE_FILTER", "KERNEL_FORMAT", "KERNEL_FORMAT_VERSION",
    "MAX_KERNEL_CHANNELS", "MAX_KERNEL_SIDE", "MAX_PIXELS", "ImageFileError", "KernelFile",
    "KernelFileError", "OutputFileError", "load_image", "load_kernel", "read_kernel_file", "save_kernel",
    "save_png",
]
