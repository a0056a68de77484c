"""What every layer type is: ``LayerType``, the class each module of ``zoo/layers/`` subclasses and registers."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from ..engine import Computed, State
from ..spec import Item, Layer


class Explorer(Protocol):
    """What a layer type's working may ask of `convzoo explore`'s model (``zoo.keras.explore.Explorer``); its
    arrays are numpy's, used through their own methods, so that no layer module imports numpy."""

    def weights(self, name: str) -> list[Any]:
        """The model's weights of layer ``name``, as arrays."""
        ...

    def patch(self, layer: Layer, below: Any, row: int, col: int) -> Any:
        """The window of unit (row, col) on the layer below, zero padding included: Fh x Fw x D1."""
        ...

    def activated(self, layer: Layer, z: float, every_z: Any = None) -> dict[str, Any]:
        """z and the layer's activation of it (softmax needs every unit's z)."""
        ...

    def activate(self, name: str | None, z: float) -> float:
        """Activation ``name`` of one value, by the function the model applied."""
        ...


class LayerType:
    """One kind of layer (``Layer.kind``). A subclass sets the class attributes and overrides what differs from
    the defaults here (a layer without arguments or options, made by the Keras class ``keras_type``)."""

    kind: ClassVar[str]
    keras_type: ClassVar[str]  # the Keras class the engine's table names (Keras' model.summary() names it so)
    explains: ClassVar[str] = ""  # what the layer does, in the lecture's words (explore's page shows it)
    forms: ClassVar[dict[str, str]]  # keyword -> what it takes, as the "accepted: ..." list shows it
    aliases: ClassVar[dict[str, str]] = {}  # other spellings -> keyword
    order: ClassVar[int] = 1000  # its place in the "accepted: ..." list
    merges: ClassVar[bool] = False  # reads the outputs of several earlier layers (add, concat)

    # --- the spec language ------------------------------------------------------------------------------------
    def parse(self, item: Item, base: dict[str, Any]) -> Layer:
        """The layer from the words after its keyword (``item``); ``base`` is its kind, name and place."""
        return Layer(**base)

    def words(self, layer: Layer, stated: bool) -> list[str]:
        """The words after the keyword when the layer is written back (``stated``: defaults a student needs)."""
        return []

    def text(self, layer: Layer, stated: bool) -> str:
        """The layer written back in the spec language (``spec.layer_text``)."""
        words = [layer.kind, *self.words(layer, stated)]
        if layer.activation:
            words.append(layer.activation)
        if layer.inputs:
            words += ["from", layer.inputs[0]]
        return " ".join(words)

    # --- the engine -------------------------------------------------------------------------------------------
    def rule(self, layer: Layer, state: State, floor: bool) -> Computed:
        """Output shape, trainable and non-trainable parameters and connections of the layer on ``state`` (its
        input), its worked steps added to ``state.steps``. ``floor``: floor a window that does not fit."""
        raise NotImplementedError(f"{self.kind} is not computed")

    def type_name(self, layer: Layer) -> str:
        return self.keras_type

    # --- Keras ------------------------------------------------------------------------------------------------
    def keras_layers(self, layer: Layer) -> list[Any]:
        """The Keras layers that make up the layer, in order (``pad P`` adds a ZeroPadding2D before a window).

        Called only by ``zoo.keras``, after Keras has started. Keras is imported inside the builder, from
        ``zoo.keras.layers`` (Keras started quietly, convzoo's own Keras layers, the activations as Keras takes
        them), so that importing a layer type never starts TensorFlow: the spec parser and the engine, which
        import every layer type, stay fast and free of it (tests/test_layout.py holds that)."""
        from ..keras.layers import keras

        return [getattr(keras.layers, self.keras_type)(name=layer.name)]

    # --- convzoo explore --------------------------------------------------------------------------------------
    def step_back(
        self, layer: Layer, below_shape: tuple[int, ...], rows: tuple[int, int], cols: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """Units rows x cols of the layer, as the rows and columns of the layer below they read: by default the
        same position (activation, batchnorm, dropout, add, ...)."""
        return rows, cols

    def maps_read(self, layer: Layer, channel: int) -> list[int] | None:
        """The maps of the layer below that map ``channel`` reads (None: all of them)."""
        return None

    def working(self, explorer: Explorer, layer: Layer, below: Any, channel: int, row: int, col: int) -> dict:
        """What made unit (row, col) of map ``channel``, with the model's weights and the digit's values
        (``below``: the layer below's output)."""
        return {"kind": "note", "note": f"{layer.kind}: no worked sum shown for this layer"}
