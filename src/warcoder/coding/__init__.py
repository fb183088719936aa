"""Coding documents into events: the Coder (coder.py) runs the stages over each document, in their own modules:
clusters.py (sentences grouped into events), retype.py (the event's type), where.py (its place), roles.py
(its actors) and notes.py (its note)."""

from .coder import CodedDocument, Coder

__all__ = ["CodedDocument", "Coder"]
