"""How states are bit-packed into 64-bit words (shared by every backend)."""

from __future__ import annotations


def packing(symbols: int, n: int) -> tuple[int, int]:
    """Bits per symbol and 64-bit words per packed state of ``n`` symbols from
    ``0..symbols-1``; a symbol never straddles two words.

    >>> packing(16, 16), packing(17, 17), packing(2, 64)
    ((4, 1), (5, 2), (1, 1))
    """
    bits = max(1, (max(symbols, 1) - 1).bit_length())
    per = 64 // bits
    return bits, max(1, -(-n // per))
