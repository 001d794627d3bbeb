from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.MyAccountView.as_view(), name="me"),
    path("2fa/", views.OtpVerifyView.as_view(), name="otp_verify"),
    path("2fa/enrol/", views.OtpEnrolView.as_view(), name="otp_enrol"),
]
