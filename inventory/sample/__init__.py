"""A realistic sample estate, loaded through the same services as real work."""
