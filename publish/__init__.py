"""Composes what is published: map figures, board-pack items and documents, CSV/JSON exports."""
