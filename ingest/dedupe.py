"""Near-duplicate detection: MinHash signatures over word shingles, LSH bands for candidates.

Signatures and band keys are stored (raw.article_fingerprints, raw.article_lsh_bands), so a new
article's candidates are found with one join against everything loaded before, in any run."""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

from ingest.settings import settings

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
# Fixed seeds: signatures must be comparable across runs and machines.
_RNG = np.random.default_rng(20240227)
_PERM_A = _RNG.integers(1, 2**63 - 1, size=settings.minhash_permutations, dtype=np.uint64) | np.uint64(1)
_PERM_B = _RNG.integers(0, 2**63 - 1, size=settings.minhash_permutations, dtype=np.uint64)
_SHINGLE_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9][: settings.shingle_words],
                         dtype=np.uint64)
_MIN_WORDS = 20  # below this a "similar text" verdict means nothing


@dataclass(frozen=True)
class Fingerprint:
    minhash: np.ndarray  # uint64[permutations]
    bands: tuple[int, ...]  # one key per LSH band
    comparable: bool  # long enough to be judged a near-duplicate


def fingerprint(body: str) -> Fingerprint:
    words = _WORD.findall(body.lower())
    tokens = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    k = settings.shingle_words
    if len(tokens) >= k:
        shingles = np.zeros(len(tokens) - k + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(k):
                shingles = shingles + tokens[i : len(tokens) - k + 1 + i] * _SHINGLE_MULT[i]
    else:
        shingles = np.array([tokens.sum(dtype=np.uint64)], dtype=np.uint64)
    shingles = np.unique(shingles)
    with np.errstate(over="ignore"):
        # (a*x + b) mod 2^64, then the high half: a cheap universal hash family per permutation.
        hashed = (shingles[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) >> np.uint64(16)
    signature = hashed.min(axis=0)
    rows = settings.minhash_permutations // settings.minhash_bands
    bands = tuple(
        int.from_bytes(hashlib.blake2b(signature[b * rows : (b + 1) * rows].tobytes(), digest_size=8).digest(),
                       "little")
        for b in range(settings.minhash_bands)
    )
    return Fingerprint(signature, bands, len(words) >= _MIN_WORDS)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))
