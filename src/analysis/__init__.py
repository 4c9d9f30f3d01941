"""kexie-compare: compare Chinese provincial 科协 plans against the national framework."""

from .corpus import Corpus, load_corpus

__all__ = ["Corpus", "load_corpus"]
__version__ = "0.1.0"
