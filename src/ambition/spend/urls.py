"""The spend pages: each view module keeps its own patterns."""

from .views import files, suppliers

urlpatterns = [*files.urlpatterns, *suppliers.urlpatterns]
