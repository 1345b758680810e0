"""Evidence from open data (placeholder, filled below)."""
