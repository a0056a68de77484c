"""conv: the convolutional layer, K filters of F x F over all D1 input maps (Keras' Conv2D); with ``table``, a
partial connection table whose output maps each read only some input maps (LeNet-5's C3)."""

from __future__ import annotations

from typing import Any

from ..engine import Computed, State, image_shape
from ..spec import (
    CONNECTION_TABLES,
    DILATION,
    PAD,
    STRIDE,
    Item,
    Layer,
    Option,
    SpecError,
    fmt_dims,
    padding_text,
    pair,
    pair_text,
    positive,
    read_options,
)
from . import register
from .base import Explorer
from .window import Window, window_area

MAX_CHANNEL_TERMS = 8  # explore: a deep conv unit's products are listed for its first channels; every one is summed


def _table(text: str, where: Any) -> str:
    if text not in CONNECTION_TABLES:
        raise SpecError(f"unknown connection table; accepted: {', '.join(CONNECTION_TABLES)}", where)
    return text


@register
class Conv(Window):
    kind = "conv"
    keras_type = "Conv2D"
    explains = (
        "A convolution layer: each filter slides over the input volume, and at each position the unit is the "
        "dot product of the filter with the window it covers (through the whole depth of the input), plus the "
        "filter's bias, then the activation. Each filter makes one activation map; its weights are the same "
        "at every position (parameter sharing), so a layer has (F*F*D1 + 1)*K parameters."
    )
    forms = {"conv": "conv K FxF [stride S] [pad P|same|valid] [dilation D] [table lenet] [activation]"}
    aliases = {"conv2d": "conv"}
    order = 10
    window = "filter"
    options = {
        "stride": STRIDE,
        "pad": PAD,
        "dilation": DILATION,
        "table": Option(f"table {'|'.join(CONNECTION_TABLES)}", _table),
    }
    takes_activation = True

    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        text, where = item.take("the number of filters K (as in 'conv 10 5x5')")
        if "@" in text:  # the LeNet paper's 6@5x5
            k_text, f_text = text.split("@", 1)
            filters = positive(k_text, where, "the number of filters K")
            kernel = pair(f_text, where, "the filter size F")
        else:
            filters = positive(text, where, "the number of filters K")
            f_text, f_where = item.take("the filter size F (as in 'conv 10 5x5')")
            kernel = pair(f_text, f_where, "the filter size F")
        opts = read_options(item, "conv", self.options, with_activation=True)
        table = opts.get("table")
        if table and len(CONNECTION_TABLES[table]) != filters:
            raise SpecError(
                f"table {table} connects {len(CONNECTION_TABLES[table])} output maps, but the layer has "
                f"K = {filters} filters",
                base["where"],
            )
        stride = opts.get("stride", (1, 1))
        dilation = opts.get("dilation", (1, 1))
        if max(stride) > 1 and max(dilation) > 1:
            raise SpecError(
                f"stride {pair_text(stride)} with dilation {pair_text(dilation)}: Keras cannot combine a stride "
                "above 1 with a dilation above 1; use one of them",
                base["where"],
            )
        return Layer(
            units=filters,
            kernel=kernel,
            stride=stride,
            padding=opts.get("pad", "valid"),
            dilation=dilation,
            activation=opts.get("activation"),
            table=table,
            **base,
        )

    def words(self, layer: Layer, stated: bool) -> list[str]:
        words = [str(layer.units), fmt_dims(layer.kernel)]
        if stated or layer.stride != (1, 1):
            words += ["stride", pair_text(layer.stride)]
        if stated and layer.padding == "valid":
            words += ["pad", "0"]
        elif layer.padding != "valid":
            words += ["pad", padding_text(layer.padding)]
        if layer.dilation != (1, 1):
            words += ["dilation", pair_text(layer.dilation)]
        if layer.table:
            words += ["table", layer.table]
        return words

    # --- the engine -------------------------------------------------------------------------------------------
    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        d1 = image_shape(layer, state)[2]
        h2, w2 = self.output_size(layer, state, floor)
        k = layer.units
        fh, fw = layer.kernel
        ff, ff_num = window_area(layer.kernel)
        if layer.table:
            return self._partial(layer, state, d1, h2, w2, ff, ff_num)
        per_filter = fh * fw * d1 + 1
        params = per_filter * k
        connections = h2 * w2 * per_filter * k
        state.steps += [
            f"D2 = K = {k}",
            f"params = ({ff}*D1 + 1)*K = ({ff_num}*{d1} + 1)*{k} = {params:,}",
            f"connections (MACs) = H2*W2*({ff}*D1 + 1)*K = {h2}*{w2}*({ff_num}*{d1} + 1)*{k} = {connections:,}",
        ]
        return Computed((h2, w2, k), params, 0, connections)

    def _partial(self, layer: Layer, state: State, d1: int, h2: int, w2: int, ff: str, ff_num: str) -> Computed:
        """A convolution whose maps each read only some input maps (LeNet-5's C3): F*F weights per map read."""
        table = CONNECTION_TABLES[str(layer.table)]
        if max(max(maps) for maps in table) >= d1:
            raise SpecError(
                f"table {layer.table} reads input maps up to {max(max(m) for m in table) + 1}, but the input has "
                f"D1 = {d1}",
                layer.where,
            )
        counts: dict[int, int] = {}
        for maps in table:  # how many output maps read 3, 4, 6 ... input maps
            counts[len(maps)] = counts.get(len(maps), 0) + 1
        fh, fw = layer.kernel
        params = sum((fh * fw * n + 1) * times for n, times in counts.items())
        terms = " + ".join(f"({ff_num}*{n} + 1)*{times}" for n, times in counts.items())
        connections = h2 * w2 * params
        state.steps += [
            f"D2 = K = {layer.units} (each reads only the input maps of table {layer.table})",
            f"params = sum over the maps of ({ff}*inputs + 1) = {terms} = {params:,}",
            f"connections (MACs) = H2*W2*params = {h2}*{w2}*{params:,} = {connections:,}",
        ]
        return Computed((h2, w2, layer.units), params, 0, connections)

    def type_name(self, layer: Layer) -> str:
        return "PartialConv2D" if layer.table else self.keras_type

    # --- Keras ------------------------------------------------------------------------------------------------
    def keras_layers(self, layer: Layer) -> list[Any]:
        from ..keras.layers import PartialConv2D, keras, keras_activation

        if layer.table:
            return [
                PartialConv2D(table=layer.table, kernel_size=layer.kernel, activation=layer.activation, name=layer.name)
            ]
        return self.keras_window(
            layer,
            keras.layers.Conv2D,
            filters=layer.units,
            kernel_size=layer.kernel,
            dilation_rate=layer.dilation,
            activation=keras_activation(layer.activation),
        )

    # --- convzoo explore --------------------------------------------------------------------------------------
    def maps_read(self, layer: Layer, channel: int) -> list[int] | None:
        return list(CONNECTION_TABLES[layer.table][channel]) if layer.table else None

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        """inputs x weights over the window, summed per input map, plus the bias, then the activation; a map of a
        partial table (LeNet-5 1998's C3) reads only the maps of its row of the table."""
        weights = explorer.weights(layer.name)
        maps = self.maps_read(layer, channel)
        if maps is None:
            kernel, bias = weights[0][..., channel], weights[1][channel]
            maps = list(range(below.shape[-1]))
        else:
            kernel, bias = weights[channel][..., 0], weights[-1][channel]
        patch = explorer.patch(layer, below, row, col)[..., maps]
        channels: list[dict[str, Any]] = []
        for i, m in enumerate(maps):
            products = patch[..., i] * kernel[..., i]
            channels.append(
                {
                    "map": m,
                    "sum": float(products.sum(dtype="float64")),
                    "inputs": patch[..., i].tolist() if i < MAX_CHANNEL_TERMS else None,
                    "weights": kernel[..., i].tolist() if i < MAX_CHANNEL_TERMS else None,
                }
            )
        z = sum(c["sum"] for c in channels) + float(bias)
        return {"kind": "conv", "channels": channels, "bias": float(bias), **explorer.activated(layer, z)}
