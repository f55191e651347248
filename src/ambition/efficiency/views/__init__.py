"""Pages of the efficiency programme: progress (overview, an authority), savings returns, the
office's flag review and the net budget upload; their tables in `tables`."""
