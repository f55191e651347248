"""Pages of the knowledge hub, one module a page family, imported by name in
`ambition.knowledge.urls`."""
