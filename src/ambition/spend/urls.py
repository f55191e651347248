"""The spend pages: each view module keeps its own patterns."""

from .views import categories, files, opportunities, suppliers

urlpatterns = [
    *files.urlpatterns,
    *suppliers.urlpatterns,
    *opportunities.urlpatterns,
    *categories.urlpatterns,
]
