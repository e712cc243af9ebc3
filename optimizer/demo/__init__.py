"""Seeded generators of the embedded demo hospital (ward roster, surgical week)."""
