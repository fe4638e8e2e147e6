from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("<int:pk>/indicators/", views.indicators_view, name="indicators"),
    path("<int:pk>/indicators/add/", views.indicator_add_view, name="indicator_add"),
    path("<int:pk>/indicators/<int:indicator_pk>/actual/", views.indicator_actual_view, name="indicator_actual"),
    path("<int:pk>/indicators/<int:indicator_pk>/verdict/", views.indicator_verdict_view, name="indicator_verdict"),
]
