"""The themed admin for the regional team. Every ModelAdmin registered on it filters by permission.

Only active staff get in (AdminSite.has_permission); what each of them sees inside is decided by
the ModelAdmins, which ask the same rules as the pages. The look comes from
templates/admin/base_site.html and static/css/admin.css.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class RegionAdminSite(admin.AdminSite):
    site_header = _("Open Onderwijsregio — beheer")
    site_title = _("Open Onderwijsregio beheer")
    index_title = _("Beheer")
    site_url = "/"
    enable_nav_sidebar = False
