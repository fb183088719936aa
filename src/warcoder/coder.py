"""The Coder: kept importable as ``warcoder.coder``; the code lives in :mod:`warcoder.coding`."""

from .coding import CodedDocument, Coder

__all__ = ["CodedDocument", "Coder"]
