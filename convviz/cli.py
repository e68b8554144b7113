"""The ``convviz`` command: open the window, render a filtered image, or compare layer costs.

::

    convviz [IMAGE|SESSION.convviz] [--kernel PRESET|FILE] [--padding valid|same|full] [--lesson NAME|FILE]
            [--screenshot PNG]
    convviz render IMAGE --kernel PRESET|FILE [--padding valid|same|full|INT|INT,INT]
            [--stride N] [--dilation N] [--padding-mode zeros|reflect|replicate|circular]
            [--convolve] [--gray] [--scale auto|input|full|robust] --out OUT.png|OUT.npy
    convviz costs --input 32x32x3 --kernel 5 --filters 64 [--padding valid] [--stride 1]
            [--dilation 1] [--groups 1] [--no-bias] [--json]
    convviz train [--epochs N] [--filters N] [--seed N] [--json] [--save-bank BANK.json]
    convviz install-desktop [--prefix DIR] [--uninstall]
    convviz --version

Every unusable file or argument ends the command with exit status 2 and one
line ``convviz: error: <message>`` on stderr; no output file is written then.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import convviz

from .cli_args import PROG, UsageError, _padding, _Parser, _stride, _within
from .costs_command import _costs, _costs_parser

__all__ = ["main"]

COMMANDS = ("render", "costs", "train", "install-desktop")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# ---------------------------------------------------------------- argument types


# ---------------------------------------------------------------- parsers


def _gui_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="See and teach image convolution. Without a command, opens the window.",
        epilog="commands:\n"
               "  render    filter an image with a kernel and save the result (convviz render --help)\n"
               "  costs     parameters, multiply-adds and memory of a conv layer vs a dense layer\n"
               "            (convviz costs --help)\n"
               "  train     train a small CNN on handwritten digits, watch its accuracy, save its filters\n"
               "            (convviz train --help)\n"
               "  install-desktop  add convviz and its .convviz session files to a Linux desktop",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {convviz.__version__}")
    parser.add_argument("image", nargs="?", metavar="IMAGE",
                        help="image file, or session (.convviz) to reopen (default: a bundled sample image)")
    parser.add_argument("--kernel", metavar="PRESET|FILE", help="kernel preset name or kernel file (.json, .npy)")
    parser.add_argument("--padding", choices=("valid", "same", "full"), help="padding to start with")
    parser.add_argument("--lesson", metavar="NAME|FILE", help="start a bundled lesson or a lesson file")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="lay the window out offscreen, save it as PNG, and exit")
    return parser


def _render_parser() -> _Parser:
    from convviz.model import limits

    parser = _Parser(
        prog=f"{PROG} render",
        description="Filter IMAGE with a kernel (cross-correlation, as deep-learning libraries do) and "
                    "save the result. A colour image with a 2-D kernel is filtered channel by channel.",
    )
    parser.add_argument("image", metavar="IMAGE", help="PNG, JPEG, BMP, TIFF, WebP or GIF file")
    parser.add_argument("--kernel", required=True, metavar="PRESET|FILE",
                        help="a preset name (e.g. sobel_x, box_blur) or a kernel file (.json, .npy)")
    parser.add_argument("--padding", type=_within(_padding, limits.check_padding), default="valid",
                        metavar="valid|same|full|INT|INT,INT",
                        help=f"padding, at most {limits.MAX_PADDING} pixels a side (default: valid)")
    parser.add_argument("--stride", type=_within(_stride, limits.check_stride), default=1, metavar="N",
                        help=f"stride, N or N,N, at most {limits.MAX_STRIDE} (default: 1)")
    parser.add_argument("--dilation", type=_within(_stride, limits.check_dilation), default=1, metavar="N",
                        help=f"dilation, N or N,N, at most {limits.MAX_DILATION} (default: 1)")
    parser.add_argument("--padding-mode", choices=PADDING_MODES, default="zeros",
                        help="values outside the image (default: zeros)")
    parser.add_argument("--convolve", action="store_true",
                        help="true convolution: flip the kernel (default: cross-correlation)")
    parser.add_argument("--gray", "--grey", action="store_true",
                        help="convert to luminance 0.299 R + 0.587 G + 0.114 B first")
    parser.add_argument("--out", required=True, metavar="OUT.png|OUT.npy",
                        help=".npy: the raw float64 result; .png: coloured as the window shows it")
    parser.add_argument("--scale", choices=("auto", "input", "full", "robust"), default="auto",
                        help="PNG levels, as the window's Scale: auto (default) draws a result within 0–255 on the "
                             "input's 0–255 (the identity writes the picture unchanged) and a signed one on a "
                             "blue–red map centred on 0; input: 0–255 (±255 when signed); full: the whole range; "
                             "robust: the 99.5th percentile of |value|")
    return parser


# ---------------------------------------------------------------- commands


def _resolve_kernel(spec: str, *, allow_channels: bool):
    """A preset key's kernel, else a kernel file's; UsageError when it is neither."""
    from convviz.io import load_kernel
    from convviz.model import PRESETS

    if spec in PRESETS:
        return PRESETS[spec].kernel
    if os.path.lexists(spec):
        return load_kernel(spec, allow_channels=allow_channels)
    key = spec.strip().lower().replace("-", "_").replace(" ", "_")
    if key in PRESETS:
        return PRESETS[key].kernel
    raise UsageError(f"unknown kernel {spec!r}: not a preset ({', '.join(PRESETS)}) and no such file")


def _check_destination(out: str, suffixes: tuple[str, ...], inputs: dict[str, str] | None = None) -> str:
    """The lower-case suffix of ``out``; UsageError when it or its folder is unusable, or when it is one of
    ``inputs`` (``{"the input image": path}``) under another name (relative path, symbolic or hard link)."""
    suffix = Path(out).suffix.lower()
    if suffix not in suffixes:
        raise UsageError(f"--out {out!r} must end in {' or '.join(suffixes)}")
    folder = Path(out).parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {out!r}: the folder {os.fspath(folder)!r} does not exist")
    if Path(out).is_dir():
        raise UsageError(f"cannot write {out!r}: it is a folder")
    for what, path in (inputs or {}).items():
        if _same_file(out, path):
            raise UsageError(f"--out {out!r} is {what} ({path!r}); writing it would replace it: "
                             f"choose another output file")
    return suffix


def _same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one file: the same inode, or the same path once links are resolved."""
    try:
        if os.path.samefile(a, b):
            return True
    except (OSError, ValueError):  # one does not exist yet (a link may still point at the other)
        pass
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def _render(args: argparse.Namespace) -> int:
    import numpy as np

    from convviz.io import load_image, save_png
    from convviz.io._files import atomic_write
    from convviz.model import display_rgb, filter_image
    from convviz.model.filter_output import output_display  # the window's levels and colour map

    inputs = {"the input image": args.image}
    if os.path.lexists(args.kernel):
        inputs["the kernel file"] = args.kernel
    suffix = _check_destination(args.out, (".png", ".npy"), inputs)
    image = load_image(args.image)
    kernel = _resolve_kernel(args.kernel, allow_channels=True)
    result = filter_image(image, kernel, padding=args.padding, stride=args.stride, dilation=args.dilation,
                          padding_mode=args.padding_mode, flip=args.convolve, gray=args.gray)
    if suffix == ".npy":
        data = np.ascontiguousarray(result, dtype=np.float64)
        atomic_write(args.out, lambda fh: np.save(fh, data, allow_pickle=False))
    else:
        levels, colormap = output_display(result, None, colormap=None, clip=False, levels=None, scale=args.scale)
        save_png(args.out, display_rgb(result, colormap=colormap, levels=levels))
    shape = " × ".join(str(n) for n in result.shape)
    print(f"wrote {args.out} ({shape}, values {result.min():.6g} to {result.max():.6g})")
    return 0


def _gui(args: argparse.Namespace) -> int:
    from convviz.io._files import input_problem

    # Cheap checks first, so a typo ends here with one line instead of opening a window.
    if args.image is not None:
        problem = input_problem(args.image)
        if problem is not None:
            raise UsageError(f"cannot open {args.image!r}: {problem}")
    if args.kernel is not None:
        _resolve_kernel(args.kernel, allow_channels=False)
    if args.lesson is not None:  # a malformed lesson ends here (LessonFileError), before any window opens
        from convviz.io.lessons import load_lesson

        load_lesson(args.lesson)
    from convviz.ui.app import run_app

    return run_app(args)


# ---------------------------------------------------------------- entry point


def _run(argv: list[str]) -> int:
    if argv and argv[0] == "install-desktop":
        from convviz.desktop_install import run_install_desktop
        return run_install_desktop(argv[1:])
    if argv and argv[0] == "train":
        from convviz.train_command import run_train
        return run_train(argv[1:])
    if argv and argv[0] in COMMANDS:
        command, rest = argv[0], argv[1:]
        parser = _render_parser() if command == "render" else _costs_parser()
        args = parser.parse_args(rest)
        return _render(args) if command == "render" else _costs(args)
    return _gui(_gui_parser().parse_args(argv))


def main(argv: list[str] | None = None) -> int:
    """Run the ``convviz`` command with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from convviz.io import ImageFileError, KernelFileError, OutputFileError

    try:
        return _run(argv)
    except SystemExit as exc:  # --help and --version
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except (UsageError, ImageFileError, KernelFileError, OutputFileError, ValueError) as exc:
        _error(str(exc))
        return 2
    except MemoryError:
        _error("there is not enough memory for this image; try a smaller one")
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _error(message: str) -> None:
    text = " ".join(message.split())
    print(f"{PROG}: error: {text}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
