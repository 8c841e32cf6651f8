"""Edit ▸ Search Corpus: the corpus search dock, its results model and tagging."""
