"""The app's glibc settings (``release_freed_memory_promptly``): a megapixel array is reused without page
faults, an image-sized one goes back to the system when freed. Measured in a fresh process (the settings
are process-wide)."""

import subprocess
import sys

import pytest

CHILD = r"""
import resource, numpy as np
from convviz.ui.app import release_freed_memory_promptly
if not release_freed_memory_promptly():
    print("unset")
    raise SystemExit

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

for _ in range(3):                         # warm: the heap grows once
    a = np.ones(1_000_000, np.float32); b = np.ones(1_000_000, np.uint8); del a, b
before = faults()
for _ in range(20):                        # a 1 MP edit's float32 output and bytes, made and dropped
    a = np.ones(1_000_000, np.float32); b = np.ones(1_000_000, np.uint8); del a, b
reused = faults() - before
base = rss_mb()
big = np.ones(36_000_000, np.uint8)        # a 12 MP colour photo's bytes
held = rss_mb() - base
del big
print(reused, held, rss_mb() - base)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc settings")
def test_megapixel_arrays_are_reused_and_image_sized_ones_given_back():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=True)
    if out.stdout.strip() == "unset":
        pytest.skip("this C library has no mallopt (not glibc)")
    reused, held, after = (float(v) for v in out.stdout.split())
    assert reused < 200            # mapped afresh each time they would cost 20 × 1,200 page faults
    assert held > 30 and after < 5  # the photo-sized block was held, then given back at once
