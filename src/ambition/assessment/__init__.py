"""The performance office: comparator groups, scores, star ratings, direction of travel,
weak service areas, early warning and partnership targets, as immutable assessment runs."""
