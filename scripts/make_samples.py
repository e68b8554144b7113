"""Generate convviz's bundled sample images into resources/images/ (NumPy + Pillow only).

Every image is synthetic and deterministic (fixed seeds), so the files can be
regenerated and are dedicated to the public domain (CC0 1.0); see
resources/images/LICENSES.md. Run from anywhere::

    python scripts/make_samples.py            # writes resources/images/*.png
    python scripts/make_samples.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "images"


def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column coordinates of every pixel centre, as float64 (H, W) arrays."""
    return np.mgrid[0:h, 0:w].astype(np.float64)


def _stripes(h: int, w: int, angle_deg: float, period: float) -> np.ndarray:
    """Hard-edged stripes (0/1) whose edges run at ``angle_deg`` from the horizontal."""
    y, x = _grid(h, w)
    t = math.radians(angle_deg)
    phase = (-x * math.sin(t) + y * math.cos(t)) / period
    return (np.floor(phase) % 2).astype(np.float64)


def shapes() -> Image.Image:
    """256×256 grey: rectangles, a circle, a triangle and stripes at four angles, all hard-edged."""
    img = Image.new("L", (256, 256), 40)
    d = ImageDraw.Draw(img)
    d.rectangle((16, 16, 111, 63), fill=230)  # wide bright bar: horizontal and vertical edges
    d.rectangle((40, 76, 87, 111), fill=140)  # mid-grey block
    d.rectangle((56, 86, 71, 101), fill=0)  # black square inside it (edges on a non-black ground)
    d.ellipse((148, 16, 239, 107), fill=200)  # circle: edges in every direction
    d.ellipse((178, 46, 209, 77), fill=90)  # ring-like hole
    d.polygon([(16, 240), (112, 240), (56, 140)], fill=170)  # triangle: two slanted edges
    a = np.asarray(img, dtype=np.float64).copy()
    # bottom-right: four 52×52 stripe patches at 0°, 90°, 45° and 120° (period 8 px)
    for (r, c), angle in zip([(140, 140), (140, 196), (196, 140), (196, 196)], (0, 90, 45, 120)):
        a[r:r + 52, c:c + 52] = 60 + 160 * _stripes(52, 52, angle, 4.0)
    return Image.fromarray(a.astype(np.uint8), "L")


def checkerboard() -> Image.Image:
    """256×256 grey: 8×8 squares of 32 px, black (0) and white (255)."""
    y, x = _grid(256, 256)
    a = ((y // 32 + x // 32) % 2) * 255
    return Image.fromarray(a.astype(np.uint8), "L")


def gradient_rings() -> Image.Image:
    """256×256 grey: a zone plate (rings finer towards the rim) in a smooth diagonal gradient."""
    y, x = _grid(256, 256)
    gradient = 255 * (x + y) / (2 * 255)
    r2 = (y - 127.5) ** 2 + (x - 127.5) ** 2
    rings = 127.5 + 127.5 * np.cos(0.0095 * r2)  # local frequency 0.0095·r/π cycles/px: < 0.4 at r = 110
    inside = np.clip((112 - np.sqrt(r2)) / 2, 0, 1)  # 2-px soft rim
    a = inside * rings + (1 - inside) * gradient
    return Image.fromarray(np.round(a).astype(np.uint8), "L")


def colour_blocks() -> Image.Image:
    """256×256 RGB: pure red, green and blue bars above additive red/green/blue circles on black."""
    a = np.zeros((256, 256, 3), np.float64)
    a[8:120, 8:85, 0] = 255
    a[8:120, 90:167, 1] = 255
    a[8:120, 172:249, 2] = 255
    y, x = _grid(256, 256)
    for channel, (cy, cx) in enumerate([(168, 106), (168, 150), (206, 128)]):
        a[..., channel] += 255 * (((y - cy) ** 2 + (x - cx) ** 2) <= 36 ** 2)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def _fractal_1d(rng: np.random.Generator, n: int, octaves: int) -> np.ndarray:
    """Value noise in about -1..1 along n samples, octaves halving in amplitude."""
    out = np.zeros(n)
    for o in range(octaves):
        knots = 3 * 2 ** o + 1
        values = rng.uniform(-1, 1, knots)
        out += np.interp(np.linspace(0, knots - 1, n), np.arange(knots), values) / 2 ** o
    return out


def _fractal_2d(rng: np.random.Generator, h: int, w: int, octaves: int) -> np.ndarray:
    """Smooth 2-D value noise in about -1..1 (bicubic upsampling of random grids)."""
    out = np.zeros((h, w))
    for o in range(octaves):
        gh, gw = 2 + 2 ** (o + 1), 2 + 3 * 2 ** (o + 1)
        grid = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
        up = Image.fromarray(grid, "F").resize((w, h), Image.Resampling.BICUBIC)
        out += np.asarray(up, dtype=np.float64) / 2 ** o
    return out / 2


def landscape() -> Image.Image:
    """384×256 RGB: sky gradient, sun, three noisy hill ridges with trees, a lake; photo-like."""
    h, w = 256, 384
    rng = np.random.default_rng(20240601)
    y, x = _grid(h, w)
    t = (y / 150.0)[..., None]
    sky = (1 - t) * np.array([40, 90, 170]) + t * np.array([215, 225, 235])
    sun = np.hypot(y - 60, x - 290)
    glow = np.exp(-((sun / 55.0) ** 2))[..., None]
    img = sky + glow * np.array([80, 60, 10])
    img = np.where((sun <= 20)[..., None], np.array([255, 245, 200]), img)

    texture = _fractal_2d(rng, h, w, 5)
    hills = [  # (ridge height, roughness, colour near, colour far)
        (120, 18, (95, 125, 145), (120, 145, 160)),
        (150, 16, (70, 115, 60), (95, 135, 80)),
        (185, 14, (50, 95, 35), (80, 120, 45)),
    ]
    ridges = []
    for base, rough, c_low, c_high in hills:
        ridge = base + rough * _fractal_1d(rng, w, 5)
        ridges.append(ridge)
        below = y >= ridge[None, :]
        depth = np.clip((y - ridge[None, :]) / 60.0, 0, 1)[..., None]
        colour = (1 - depth) * np.array(c_high) + depth * np.array(c_low)
        colour = colour * (1 + 0.18 * texture[..., None])
        img = np.where(below[..., None], colour, img)

    lake = (y >= 222) & (x >= 40) & (x < 200 + 12 * np.sin(y / 5.0))
    water = np.array([60, 100, 150]) * (1 + 0.12 * np.sin(x / 3.0 + y * 0.9))[..., None]
    img = np.where(lake[..., None], water, img)

    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(pil)
    for _ in range(26):  # conifers standing on the two nearer ridges
        layer = int(rng.integers(1, 3))
        cx = int(rng.integers(6, w - 6))
        if layer == 2 and 30 <= cx <= 210:
            continue  # keep the lake shore clear
        ground = int(ridges[layer][cx]) + int(rng.integers(2, 10))
        size = int(rng.integers(10, 16)) + 6 * (layer - 1)
        shade = int(rng.integers(20, 45))
        d.rectangle((cx - 1, ground - 3, cx + 1, ground + 2), fill=(70, 50, 30))
        d.polygon([(cx - size // 3, ground - 2), (cx + size // 3, ground - 2), (cx, ground - size - 4)],
                  fill=(shade, 60 + shade, shade))
    pil = pil.filter(ImageFilter.GaussianBlur(0.6))
    grain = rng.normal(0, 2.0, (h, w, 1))
    out = np.asarray(pil, dtype=np.float64) + grain
    return Image.fromarray(np.clip(np.round(out), 0, 255).astype(np.uint8), "RGB")


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1 with FreeType
    except (TypeError, ValueError, OSError, ImportError):
        return None


def text() -> Image.Image:
    """384×160 grey: black letters and digits on white, drawn with Pillow's default font."""
    lines = ["convviz", "Edges: AaBb 0123"]
    big, small = _font(56), _font(34)
    if big is not None and small is not None:
        img = Image.new("L", (384, 160), 255)
        d = ImageDraw.Draw(img)
        d.text((192, 52), lines[0], font=big, fill=0, anchor="mm")
        d.text((192, 120), lines[1], font=small, fill=0, anchor="mm")
        return img
    # Old Pillow without a scalable default font: draw the bitmap font small, then enlarge.
    img = Image.new("L", (128, 54), 255)
    d = ImageDraw.Draw(img)
    d.text((30, 10), lines[0], fill=0)
    d.text((14, 32), lines[1], fill=0)
    return img.resize((384, 162), Image.Resampling.NEAREST).crop((0, 1, 384, 161))


SAMPLES = {
    "shapes.png": shapes,
    "checkerboard.png": checkerboard,
    "gradient_rings.png": gradient_rings,
    "colour_blocks.png": colour_blocks,
    "landscape.png": landscape,
    "text.png": text,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, make in SAMPLES.items():
        img = make()
        assert max(img.size) <= 512, name
        path = args.out / name
        img.save(path, format="PNG", optimize=True)
        print(f"{path}  {img.mode} {img.size[0]}×{img.size[1]}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
