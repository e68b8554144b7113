"""The learned first-layer filters as a filter bank (what the Filter bank tab opens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .network import TinyCNN

if TYPE_CHECKING:  # imported when called, so the CNN does not depend on the bank module to load
    from ..bank import BankLayer, Network

__all__ = ["filters_as_layer", "filters_as_network"]


def filters_as_layer(net: TinyCNN) -> BankLayer:
    """One bank layer for a grey image: the network's filters (``"learned 1"`` …), valid padding, ReLU.

    The weights are ``net.conv_weights`` unchanged; each bias is ``net.conv_bias × 255``. The
    network reads pixels ×1/255 but the bank slides over the 0–255 image, so the bank's maps are
    exactly 255 × the network's feature maps (ReLU keeps that factor): the same pictures on the
    scale of the image. On a colour image the Filter bank tab divides each filter among R, G and B.
    """
    from ..bank import BankFilter, BankLayer, LayerSettings

    w = net.conv_weights
    filters = tuple(BankFilter(f"learned {i + 1}", w[:, :, :, i], float(net.conv_bias[i]) / net.input_scale)
                    for i in range(w.shape[3]))
    return BankLayer(filters, "relu", LayerSettings("valid"))


def filters_as_network(net: TinyCNN) -> Network:
    """A one-layer :class:`~convviz.model.bank.Network` of :func:`filters_as_layer`, for ``save_bank``."""
    from ..bank import Network

    return Network((filters_as_layer(net),))
