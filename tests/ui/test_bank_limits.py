"""The Filter bank tab refuses an edit that would take the bank over the weight limit
(convviz.model.limits.check_bank_weights) with a sentence, and nothing changes — not only on save."""

from __future__ import annotations

import numpy as np
import pytest
from bank_support import shown_bank_panel

from convviz.model import ConvDocument
from convviz.model.bank import BankLayer, LayerSettings, Network, random_filter
from convviz.model.limits import MAX_BANK_WEIGHTS

RNG = np.random.default_rng(8)


def layer(side: int, c_in: int, c_out: int) -> BankLayer:
    return BankLayer(tuple(random_filter(RNG, (side, side), c_in).renamed(f"f{i}") for i in range(c_out)), "relu",
                     LayerSettings())


@pytest.fixture
def panel(qtbot):
    p = shown_bank_panel(qtbot, ConvDocument(image=RNG.uniform(0, 255, (10, 12, 3)), padding="same"), (1000, 700))
    # 6,912 + 589,824 + 403,200 = 999,936 weights: just under the limit
    assert p.set_network(Network((layer(3, 3, 256), layer(3, 256, 256), layer(3, 256, 175))))
    assert p.network.weight_count == 999_936 <= MAX_BANK_WEIGHTS
    yield p
    p.close()


def test_a_larger_kernel_that_would_exceed_the_limit_is_refused(panel):
    panel.layer_box.setCurrentIndex(1)
    network, steps = panel.network, panel.editor.stack.count()
    panel.filter_editor.kernel_spin.setValue(5)               # 5×5×256×256 = 1,638,400 weights in layer 2 alone
    assert panel.network is network and panel.editor.stack.count() == steps
    assert panel.filter_editor.kernel_spin.value() == 3
    assert ("With 5×5 filters the bank has 2,048,512 weights; at most 1,000,000 are allowed: use fewer or smaller "
            "filters, or fewer layers. The filters stay 3×3.") in panel.status.text()


def test_a_layer_or_filter_that_would_exceed_the_limit_is_refused(panel):
    network, steps = panel.network, panel.editor.stack.count()
    panel.add_layer()                                         # 3×3×175×3 more weights
    assert panel.network is network and panel.editor.stack.count() == steps and len(panel.network) == 3
    assert "That bank has 1,004,661 weights; at most 1,000,000 are allowed" in panel.status.text()
    panel.layer_box.setCurrentIndex(2)
    panel.filter_editor.duplicate_button.click()              # one more 3×3×256 filter: 2,304 more
    assert panel.network is network and panel.network[2].out_channels == 175
    assert "That bank has 1,002,240 weights" in panel.status.text()
    assert panel.filter_editor.list.count() == 175            # the editor shows the bank as it is
    panel.filter_editor.remove_button.click()                 # fewer weights: taken
    assert panel.network[2].out_channels == 174 and panel.editor.stack.count() == steps + 2
