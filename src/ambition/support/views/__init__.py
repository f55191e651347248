"""Pages of peer support, one module a page family. Each module's views are imported by
name in `ambition.support.urls`."""
