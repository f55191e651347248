"""The knowledge hub: case studies with the strength of their evidence, professional
networks, and full-text search over both."""
