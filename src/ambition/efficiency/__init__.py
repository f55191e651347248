"""The efficiency programme: net revenue budgets, savings targets (3% a year by default) and
savings returns, and local area agreements with their reward."""
