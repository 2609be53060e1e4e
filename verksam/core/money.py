"""Money as integer öre (DESIGN.md rule 14). Rounding happens only in named functions."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, order=True)
class Money:
    ore: int

    @classmethod
    def from_kronor(cls, kronor: Decimal | int | str) -> "Money":
        value = (Decimal(str(kronor)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return cls(int(value))

    def __add__(self, other: "Money") -> "Money":
        return Money(self.ore + other.ore)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.ore - other.ore)

    def times(self, n: int) -> "Money":
        return Money(self.ore * n)

    def percent_off(self, basis_points: int) -> "Money":
        """Reduce by `basis_points` (1000 = 10 %), rounding half up to whole öre."""
        reduced = (Decimal(self.ore) * (10000 - basis_points) / 10000).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        return Money(int(reduced))

    @property
    def kronor(self) -> Decimal:
        return Decimal(self.ore) / 100

    def format_sv(self) -> str:
        """'1 234,50 kr' — Swedish grouping with a non-breaking space and decimal comma."""
        sign = "-" if self.ore < 0 else ""
        whole, cents = divmod(abs(self.ore), 100)
        grouped = f"{whole:,}".replace(",", "\u00a0")
        return f"{sign}{grouped},{cents:02d}\u00a0kr"


def allocate(total_ore: int, weights: list[int]) -> list[int]:
    """Split `total_ore` by `weights` without losing an öre (largest remainder goes first)."""
    if not weights or sum(weights) == 0:
        raise ValueError("weights must be non-empty and not all zero")
    s = sum(weights)
    shares = [total_ore * w // s for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: -((total_ore * weights[i]) % s))
    for i in remainders[: total_ore - sum(shares)]:
        shares[i] += 1
    return shares
