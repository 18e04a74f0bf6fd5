"""The layers of the Japanese entity recogniser, registered with spaCy by importing this module.

The recogniser reads what GiNZA has already computed for each token: its contextual
vectors (``doc.tensor``, from GiNZA's tok2vec) and its own extended named entity
labels, moved into ``doc.spans["ene"]`` by the ``archivist_ene_spans`` component so that
they inform the recogniser without constraining it. To these it adds hashed
embeddings of the token's Sudachi part of speech, its first and last characters and
its script shape, and mixes everything with a small trainable convolutional encoder.
"""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, with_array

ENE_KEY = "ene"  # span group holding GiNZA's own entity labels
ENE_COMPONENT = "archivist_ene_spans"
FEATURES = ("tag", "ene", "first", "last", "shape")  # one hashed embedding each


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


def _ene_labels(doc: Doc) -> list[str]:
    labels = ["O"] * len(doc)
    for span in doc.spans.get(ENE_KEY, []):
        labels[span.start] = "B-" + span.label_
        for index in range(span.start + 1, span.end):
            labels[index] = "I-" + span.label_
    return labels


def token_features(doc: Doc) -> numpy.ndarray:
    """One row of string hashes per token, one column per name in FEATURES."""
    rows = []
    for token, ene in zip(doc, _ene_labels(doc)):
        text = token.text
        shape = "".join(_script(char) for char in text[:4]) + ("+" if len(text) > 4 else "")
        values = (token.tag_, ene, "F" + text[0], "L" + text[-1], "S" + shape)
        rows.append([get_string_id(value) for value in values])
    return numpy.asarray(rows, dtype="uint64").reshape((len(doc), len(FEATURES)))


def _features() -> Model:
    def forward(model: Model, docs: list[Doc], is_train: bool):
        return [model.ops.asarray(token_features(doc), dtype="uint64") for doc in docs], lambda d_out: []

    return Model("token_features", forward)


def _tensors(width: int) -> Model:
    """GiNZA's contextual vectors, read as fixed input (no gradient flows back)."""
    def forward(model: Model, docs: list[Doc], is_train: bool):
        vectors = [model.ops.asarray2f(doc.tensor) if doc.tensor.size else model.ops.alloc2f(len(doc), width)
                   for doc in docs]
        return vectors, lambda d_out: []

    return Model("doc_tensors", forward, dims={"nO": width})


@registry.architectures("archivist.StackedTok2Vec.v1")
def stacked_tok2vec(tensor_width: int, feature_width: int, feature_rows: int, width: int,
                    depth: int) -> Model:
    """Token vectors from GiNZA's vectors and labels plus hashed token features."""
    embeds = [HashEmbed(feature_width, feature_rows, column=i, seed=17 + i) for i in range(len(FEATURES))]
    features = chain(_features(), with_array(concatenate(*embeds)))
    inputs = tensor_width + feature_width * len(FEATURES)
    model = chain(
        concatenate(_tensors(tensor_width), features),
        with_array(Maxout(width, inputs, nP=3, normalize=True, dropout=0.1)),
        MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth),
    )
    model.set_dim("nO", width)
    return model


@Language.component(ENE_COMPONENT)
def ene_spans(doc: Doc) -> Doc:
    """GiNZA's entities moved from doc.ents to doc.spans["ene"], leaving doc.ents unset."""
    doc.spans[ENE_KEY] = list(doc.ents)
    doc.set_ents([], default="missing")
    return doc
