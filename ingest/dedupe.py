"""Near-duplicate detection: one-permutation MinHash over word shingles, LSH bands for candidates.

A whole batch is fingerprinted at once in polars (tokenise, hash, shingle, bin, min), because a
per-article Python loop dominated ingest time. Signatures and band keys are stored
(raw.article_fingerprints, raw.article_lsh_bands), so a new article's candidates are found with
one join against everything loaded before, in any run.

polars' string hash is stable within a polars version only, so FINGERPRINT_VERSION names the
version; fingerprints made under another one are recomputed before they are compared."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import polars as pl

from ingest.settings import settings

FINGERPRINT_VERSION = f"oph{settings.minhash_permutations}-w{settings.shingle_words}-polars{pl.__version__}"
_EMPTY = np.iinfo(np.uint64).max
_BORROW_STEP = np.uint64(0x9E3779B97F4A7C15)  # offset for values borrowed from a neighbouring bin
_MIN_WORDS = 20  # below this a "similar text" verdict means nothing


@dataclass(frozen=True)
class Fingerprint:
    minhash: np.ndarray  # uint64[permutations]
    bands: tuple[int, ...]  # one key per LSH band
    comparable: bool  # long enough to be judged a near-duplicate


def fingerprints(bodies: list[str]) -> list[Fingerprint]:
    """One-permutation hashing (Li et al. 2012) with densification (Shrivastava 2017): each
    shingle hash goes to one of k bins and each bin keeps its minimum, which estimates Jaccard
    similarity like k independent permutations at the cost of one hash per shingle."""
    if not bodies:
        return []
    k, width = settings.minhash_permutations, settings.shingle_words
    tokens = (
        pl.DataFrame({"doc": np.arange(len(bodies), dtype=np.uint32), "body": bodies})
        .select("doc", pl.col("body").str.to_lowercase().str.extract_all(r"\w+").alias("token"))
        .explode("token")
        .drop_nulls("token")
        .with_columns(pl.col("token").hash(seed=20240227).alias("h"))
    )
    words = tokens.group_by("doc").len()
    # Tokens are ordered by doc, so a global shift plus "same doc" mask equals a per-doc window.
    shingle = pl.struct([pl.col("h").shift(-i).alias(f"h{i}") for i in range(width)])
    shingles = tokens.select(
        "doc", shingle.hash(seed=7).alias("s"), (pl.col("doc").shift(-(width - 1)) == pl.col("doc")).alias("whole")
    ).filter("whole")
    # One integer group key (doc * k + bin) groups much faster than a (doc, bin) pair.
    bins = shingles.group_by((pl.col("doc").cast(pl.UInt64) * k + pl.col("s") % k).alias("key")).agg(
        (pl.col("s") // k).min().alias("v"))
    flat = np.full(len(bodies) * k, _EMPTY, dtype=np.uint64)
    flat[bins["key"].to_numpy().astype(np.int64)] = bins["v"].to_numpy()
    signature = flat.reshape(len(bodies), k)
    _densify(signature)
    n_words = np.zeros(len(bodies), dtype=np.int64)
    n_words[words["doc"].to_numpy()] = words["len"].to_numpy()
    rows = k // settings.minhash_bands
    out = []
    for i in range(len(bodies)):
        sig = signature[i]
        bands = tuple(
            int.from_bytes(hashlib.blake2b(sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8).digest(), "little")
            for b in range(settings.minhash_bands)
        )
        out.append(Fingerprint(sig, bands, bool(n_words[i] >= _MIN_WORDS)))
    return out


def _densify(signature: np.ndarray) -> None:
    """Fill empty bins from the next non-empty bin to the right (circularly), offset by the
    distance, so two short texts do not look alike merely because both left bins empty."""
    original = signature.copy()
    empty = original == _EMPTY
    for step in range(1, signature.shape[1]):
        if not empty.any():
            break
        source = np.roll(original, -step, axis=1)
        fill = empty & (source != _EMPTY)
        with np.errstate(over="ignore"):
            signature[fill] = source[fill] + np.uint64(step) * _BORROW_STEP
        empty &= ~fill


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))
