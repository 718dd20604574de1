"""habitat-kg: a knowledge graph of UN-Habitat governance with a query interface."""

__version__ = "0.1.0"
