"""Elementary number theory the groups need (primality, factoring, Euler's phi); numbers are
small enough for trial division.

>>> is_prime(7), factor(360), phi(12)
(True, {2: 3, 3: 2, 5: 1}, 4)
"""

from __future__ import annotations


def is_prime(p: int) -> bool:
    """Whether ``p`` is a prime (trial division).

    >>> [p for p in range(12) if is_prime(p)]
    [2, 3, 5, 7, 11]
    """
    return p >= 2 and all(p % d for d in range(2, int(p**0.5) + 1))


def factor(m: int) -> dict[int, int]:
    """The prime factorisation of ``m >= 1`` as ``{prime: exponent}``.

    >>> factor(12)
    {2: 2, 3: 1}
    """
    out: dict[int, int] = {}
    p = 2
    while p * p <= m:
        while m % p == 0:
            out[p] = out.get(p, 0) + 1
            m //= p
        p += 1
    if m > 1:
        out[m] = out.get(m, 0) + 1
    return out


def phi(m: int) -> int:
    """Euler's totient: the number of units of Z/m.

    >>> phi(9)
    6
    """
    r = m
    for p in factor(m):
        r = r // p * (p - 1)
    return r
