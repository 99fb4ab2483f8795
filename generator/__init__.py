"""scholarsite: a researcher's homepage from a profile seed."""

__version__ = "0.1.0"
