"""Team work: coder copies, merging, agreement and adjudication windows."""
