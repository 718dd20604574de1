"""The knowledge graph: sources, the builder and the layers it writes."""
