"""Agreement between coders: matching their spans into units, and the measures."""
