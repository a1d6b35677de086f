from django.contrib.admin.apps import AdminConfig


class ThemedAdminConfig(AdminConfig):
    """The Django admin, replaced by our themed, permission-aware site."""

    default_site = "onderwijsregio.core.admin_site.RegionAdminSite"
