"""The layers of the Japanese entity recogniser, registered with spaCy by importing this module.

The recogniser's token vectors come from ja_ginza's tok2vec, fine-tuned with it
(through a listener, as in any spaCy pipeline that shares a tok2vec). To these it adds
hashed embeddings of the token's Sudachi part of speech, its first and last
characters and its script shape, which the tok2vec does not see, and mixes them
with a small convolutional encoder.
"""

from __future__ import annotations

import numpy
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.pipeline.tok2vec import Tok2VecListener
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, with_array

FEATURES = ("tag", "first", "last", "shape")  # one hashed embedding each


def _script(char: str) -> str:
    code = ord(char)
    if 0x3041 <= code <= 0x309F:
        return "h"
    if 0x30A0 <= code <= 0x30FF:
        return "k"
    if 0x4E00 <= code <= 0x9FFF or char in "々〆ヶ":
        return "K"
    if char.isdigit():
        return "d"
    return "a" if char.isalpha() else char


def token_features(doc: Doc) -> numpy.ndarray:
    """One row of string hashes per token, one column per name in FEATURES."""
    rows = []
    for token in doc:
        text = token.text
        shape = "".join(_script(char) for char in text[:4]) + ("+" if len(text) > 4 else "")
        values = (token.tag_, "F" + text[0], "L" + text[-1], "S" + shape)
        rows.append([get_string_id(value) for value in values])
    return numpy.asarray(rows, dtype="uint64").reshape((len(doc), len(FEATURES)))


def _features() -> Model:
    def forward(model: Model, docs: list[Doc], is_train: bool):
        return [model.ops.asarray(token_features(doc), dtype="uint64") for doc in docs], lambda d_out: []

    return Model("token_features", forward)


@registry.architectures("archivist.ListenerWithFeatures.v1")
def listener_with_features(upstream_width: int, feature_width: int, feature_rows: int, width: int,
                           depth: int) -> Model:
    """The shared tok2vec's vectors (trained through this listener) plus hashed token features."""
    listener = Tok2VecListener(upstream_name="*", width=upstream_width)
    embeds = [HashEmbed(feature_width, feature_rows, column=i, seed=17 + i) for i in range(len(FEATURES))]
    features = chain(_features(), with_array(concatenate(*embeds)))
    inputs = upstream_width + feature_width * len(FEATURES)
    layers = [concatenate(listener, features), with_array(Maxout(width, inputs, nP=3, normalize=True, dropout=0.1))]
    if depth:
        layers.append(MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth))
    model = chain(*layers)
    model.set_dim("nO", width)
    return model
