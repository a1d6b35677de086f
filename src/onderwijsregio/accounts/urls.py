from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("mensen", views.people, name="people"),
    path("organisaties/<int:pk>/mensen", views.organisation_people, name="organisation_people"),
    path("organisaties/<int:pk>/mensen/toevoegen", views.membership_add, name="membership_add"),
    path("lidmaatschappen/<int:pk>/beeindigen", views.membership_end_confirm, name="membership_end"),
    path("auditlog", views.audit_log, name="audit_log"),
    path("mijn-account", views.my_account, name="my_account"),
    path("mijn-account/api-token", views.token_create, name="token_create"),
    path("mijn-account/api-token/intrekken", views.token_revoke, name="token_revoke"),
    path("mijn-account/taal", views.preferred_language, name="preferred_language"),
]
