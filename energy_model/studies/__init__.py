"""Studies: many pipeline runs through the pipeline's public API (sweeps, uncertainty, pathways, frontier, tornado)."""
