"""Near-duplicate detection: one-permutation MinHash over clause shingles, LSH bands for candidates.

Shingles are clauses (a body split at line breaks, ". " and ", "), not word n-grams. Syndicated
copies share whole clauses and differ in a few edited ones, so clause sets separate copies from
merely related stories (CCNet deduplicates on paragraph hashes for the same reason), and they
cost one multi-pattern replace, one split and one hash per clause instead of a regex
tokenisation of every word: word 3-shingles took more time than everything else ingest does.
The sample syndicated copy (seeds/articles/txt/101: other dateline, one sentence dropped, a few
words changed) has clause Jaccard 0.78 with its original (word 3-shingles: 0.88); the threshold
is in settings.near_duplicate_threshold.

The whole batch is fingerprinted at once in polars and numpy. Signatures and band keys are
stored (raw.article_fingerprints, raw.article_lsh_bands). A new article's candidates are the first
members of its buckets: those of earlier runs found with one join against the stored bands, those
of the running ingest in memory (RunIndex).

polars' string hash is stable within a polars version only, so FINGERPRINT_VERSION names the
version; fingerprints made under another one are recomputed before they are compared."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ingest.settings import settings

FINGERPRINT_VERSION = f"oph{settings.minhash_permutations}-clauses-polars{pl.__version__}"
_EMPTY = np.iinfo(np.uint64).max
# 2^64 / golden ratio, odd: multiples of it spread over all 64 bits
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_BORROW_STEP = _GOLDEN  # offset for values borrowed from a neighbouring bin
_MIN_WORDS = 20  # below this a "similar text" verdict means nothing
# Odd 64-bit constants: a band key is a multiply-add hash of the band's signature values.
_BAND_MIX = np.random.default_rng(20240227).integers(1, 2**63, size=64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


@dataclass(frozen=True)
class Fingerprints:
    """Signatures of a batch of bodies, row i for body i."""

    minhash: np.ndarray  # uint64[n, permutations]
    bands: np.ndarray  # uint64[n, bands]: one key per LSH band
    comparable: np.ndarray  # bool[n]: long enough to be judged a near-duplicate

    def __len__(self) -> int:
        return len(self.comparable)

    def subset(self, rows: np.ndarray) -> Fingerprints:
        return Fingerprints(self.minhash[rows], self.bands[rows], self.comparable[rows])

    def scatter(self, rows: np.ndarray) -> Fingerprints:
        """These signatures placed at the True rows of a longer batch; the other rows get empty,
        incomparable ones."""
        minhash = np.full((len(rows), self.minhash.shape[1]), _EMPTY, dtype=np.uint64)
        bands = np.zeros((len(rows), self.bands.shape[1]), dtype=np.uint64)
        comparable = np.zeros(len(rows), dtype=bool)
        minhash[rows], bands[rows], comparable[rows] = self.minhash, self.bands, self.comparable
        return Fingerprints(minhash, bands, comparable)


def fingerprints(bodies: pl.Series | list[str], word_counts: np.ndarray) -> Fingerprints:
    """One-permutation hashing (Li et al. 2012) with densification (Shrivastava 2017): each
    shingle hash goes to one of k bins and each bin keeps its minimum, which estimates Jaccard
    similarity like k independent permutations at the cost of one hash per shingle. word_counts
    (raw.articles.word_count) decide which bodies are long enough to compare."""
    k = settings.minhash_permutations
    body = pl.Series("body", bodies, dtype=pl.String)
    n = len(body)
    # hashed inside the lists, so the clause strings are never gathered into one column
    clauses = (
        pl.DataFrame({"doc": np.arange(n, dtype=np.uint64), "body": body})
        .select("doc", pl.col("body").str.replace_many([". ", ", "], ["\n", "\n"]).str.split("\n")
                .list.eval(pl.element().filter(pl.element().str.len_bytes() > 0).hash(seed=20240227)).alias("h"))
        .explode("h")
        .drop_nulls("h")
    )
    doc, h = clauses["doc"].to_numpy(), clauses["h"].to_numpy()
    flat = np.full(n * k, _EMPTY, dtype=np.uint64)
    np.minimum.at(flat, (doc * np.uint64(k) + h % np.uint64(k)).astype(np.int64), h // np.uint64(k))
    signature = flat.reshape(n, k)
    _densify(signature)
    return Fingerprints(signature, band_keys(signature), np.asarray(word_counts) >= _MIN_WORDS)


def band_keys(signature: np.ndarray) -> np.ndarray:
    rows = signature.shape[1] // settings.minhash_bands
    banded = signature[:, : rows * settings.minhash_bands].reshape(len(signature), settings.minhash_bands, rows)
    with np.errstate(over="ignore"):
        return (banded * _BAND_MIX[:rows]).sum(axis=2, dtype=np.uint64)


def _densify(signature: np.ndarray) -> None:
    """Fill empty bins from the next non-empty bin to the right (circularly), offset by the
    distance, so two short texts do not look alike merely because both left bins empty."""
    k = signature.shape[1]
    filled = signature != _EMPTY
    position = np.where(np.concatenate([filled, filled], axis=1), np.arange(2 * k, dtype=np.int16), np.int16(2 * k))
    # nearest non-empty bin at or right of each position: a running minimum from the right
    nearest = np.minimum.accumulate(position[:, ::-1], axis=1)[:, :k - 1:-1]
    rows, cols = np.nonzero(~filled & (nearest < 2 * k))
    distance = nearest[rows, cols] - cols
    with np.errstate(over="ignore"):
        signature[rows, cols] = signature[rows, (cols + distance) % k] + distance.astype(np.uint64) * _BORROW_STEP


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of shingle sets, row by row (or of two single signatures)."""
    return np.asarray((a == b).mean(axis=-1))


class RunIndex:
    """The LSH buckets of the articles one ingest run has loaded, in memory, so near-duplicate
    candidates among them are found without asking the warehouse: a scan of every stored band
    for every batch was quadratic in the articles a run loads. What earlier runs stored is still
    asked of the warehouse, bounded to the rows that were there when the run began
    (`earlier_rows`).

    A bucket's candidates are its first `members` articles in load order (settings.
    near_duplicate_bucket_members), wherever they are stored: a syndicated story's copies share
    buckets with every earlier copy, and counting all of them made the work per article grow
    with the story. The first copies are the ones that lead to the story's root anyway. So this
    index keeps, per bucket, only the members earlier runs left room for.

    Keys live in sorted runs that are merged as they grow (a log-structured merge): adding a
    batch costs O(batch log n) amortised, a lookup a binary search per run."""

    def __init__(self, earlier_rows: int, run_id: str) -> None:
        self.earlier_rows = earlier_rows  # raw.article_lsh_bands rowids below this predate the run
        self.run_id = run_id
        self.permutations = settings.minhash_permutations
        self.members = settings.near_duplicate_bucket_members
        self._keys: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted keys, article row), oldest first
        self._articles = pl.DataFrame(schema={"old_id": pl.String, "root_id": pl.String, "url": pl.String})
        self._minhash = np.empty((0, self.permutations), dtype=np.uint64)
        self._size = 0

    @staticmethod
    def keys(band: np.ndarray, band_hash: np.ndarray) -> np.ndarray:
        """One 64-bit key per (band, band hash); equal keys across bands would take a 64-bit
        coincidence, and a candidate is only a candidate: its signature is compared next."""
        with np.errstate(over="ignore"):
            return band_hash.astype(np.uint64) ^ (band.astype(np.uint64) * _GOLDEN)

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into keys, article row) for every member of every key's bucket."""
        order = np.argsort(keys)  # sorted needles: searchsorted walks the runs in order
        sorted_needles = keys[order]
        found_key: list[np.ndarray] = []
        found_rows: list[np.ndarray] = []
        for sorted_keys, rows in self._keys:
            lo = np.searchsorted(sorted_keys, sorted_needles, "left")
            hi = np.searchsorted(sorted_keys, sorted_needles, "right")
            counts = hi - lo
            total = int(counts.sum())
            if total == 0:
                continue
            # every position in [lo, hi) for every needle, without a Python loop
            starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
            found_key.append(np.repeat(order, counts))
            found_rows.append(rows[np.arange(total) + starts])
        if not found_key:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(found_key), np.concatenate(found_rows)

    def catalog(self, rows: np.ndarray) -> pl.DataFrame:
        """old_id, root_id and url of these article rows."""
        return self._articles[rows]

    def signatures(self, rows: np.ndarray) -> np.ndarray:
        return self._minhash[rows]

    def add(self, ids: pl.Series, roots: pl.Series, urls: pl.Series, minhash: np.ndarray, keys: np.ndarray,
            positions: np.ndarray) -> None:
        """Articles just stored (in this order) and the bucket keys they were admitted to, as
        (key, position of the article among them) pairs."""
        n, first = len(ids), self._size
        if first + n > len(self._minhash):  # capacity doubles: appends stay amortised O(1)
            grown = np.empty((max(2 * len(self._minhash), first + n), self.permutations), dtype=np.uint64)
            grown[:first] = self._minhash[:first]
            self._minhash = grown
        self._minhash[first:first + n] = minhash
        self._size += n
        self._articles = self._articles.vstack(pl.DataFrame(
            {"old_id": ids, "root_id": roots, "url": urls}, schema=self._articles.schema))
        if len(keys) == 0:
            return
        order = np.argsort(keys, kind="stable")
        self._keys.append((keys[order], (positions + first).astype(np.int64)[order]))
        while len(self._keys) > 1 and 2 * len(self._keys[-1][0]) >= len(self._keys[-2][0]):
            (k1, r1), (k2, r2) = self._keys.pop(-2), self._keys.pop()
            merged_keys, merged_rows = np.concatenate([k1, k2]), np.concatenate([r1, r2])
            order = np.argsort(merged_keys, kind="stable")
            self._keys.append((merged_keys[order], merged_rows[order]))
