"""Account pages: login (password, SMS, TOTP), registration, profile, password, closing."""

from __future__ import annotations

import json

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts import forms, queries
from yiwang.accounts.models import User
from yiwang.accounts.services import enterprises, login, profile, registration, sms_codes, staff
from yiwang.core.api import ApiError

PENDING_OTP = "yiwang_pending_otp_user"
BACKEND = "yiwang.accounts.backends.MultiIdentifierBackend"


def _ip(request) -> str:
    return getattr(request, "client_ip", request.META.get("REMOTE_ADDR", ""))


def _apply(form, exc: ApiError) -> None:
    """Copy a service error onto the form: field messages to their fields, the rest on top."""
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
        else:
            form.add_error(None, message)
    if not placed:
        form.add_error(None, exc.message)


def _next(request, default: str = "accounts:profile") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    from django.urls import reverse

    return reverse(default)


def _finish_login(request, user: User, channel: str, device=None):
    auth_login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    login.record_login(user, channel)
    messages.success(request, _("登录成功。"))
    return redirect(_next(request))


def _send_code(request, form, phone: str, purpose: str) -> None:
    try:
        _sms, dev_code = sms_codes.send_code(phone, purpose, ip=_ip(request))
    except ApiError as exc:
        _apply(form, exc)
        return
    messages.info(request, _("验证码已发送，5 分钟内有效。"))
    if dev_code:
        messages.info(request, _("演示模式（开发短信通道）验证码：%(code)s") % {"code": dev_code})


def login_view(request):
    form = forms.LoginForm(request.POST or None, prefix="pw")
    sms_form = forms.SmsLoginForm(request.POST if request.POST.get("mode") == "sms" else None, prefix="sms")
    if request.method == "POST" and request.POST.get("mode") == "sms":
        if sms_form.is_valid():
            phone, code = sms_form.cleaned_data["phone"], sms_form.cleaned_data["sms_code"]
            if request.POST.get("action") == "send_code":
                _send_code(request, sms_form, phone, "login")
            else:
                try:
                    user = login.authenticate_by_sms(phone, code, ip=_ip(request))
                    return _finish_login(request, user, "短信验证码")
                except ApiError as exc:
                    _apply(sms_form, exc)
        form = forms.LoginForm(prefix="pw")
    elif request.method == "POST" and form.is_valid():
        try:
            user, _device = login.authenticate(
                form.cleaned_data["username"], form.cleaned_data["password"], ip=_ip(request), require_otp=False
            )
        except ApiError as exc:
            _apply(form, exc)
        else:
            if login.needs_otp(user):
                request.session[PENDING_OTP] = user.pk
                return redirect(f"{_otp_url()}?next={_next(request)}")
            return _finish_login(request, user, "密码")
    demo = queries.demo_accounts() if settings.DEMO_MODE and not settings.PRODUCTION else []
    return render(request, "accounts/login.html", {"form": form, "sms_form": sms_form, "demo_accounts": demo,
                                                   "next": request.GET.get("next", "")})


def _otp_url() -> str:
    from django.urls import reverse

    return reverse("accounts:otp")


def otp_view(request):
    user_id = request.session.get(PENDING_OTP)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = forms.OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = login.verify_otp(user, form.cleaned_data["otp"])
        if device is None:
            user = login.record_failure(user, "动态口令错误")
            if user.is_locked():
                request.session.pop(PENDING_OTP, None)
                form.add_error(None, login.locked_error(user).message)
            else:
                form.add_error("otp", _("动态口令错误或已过期。"))
        else:
            request.session.pop(PENDING_OTP, None)
            return _finish_login(request, user, "密码 + 动态口令", device)
    return render(request, "accounts/otp.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def demo_login(request):
    """One-click demo logins by role (demo mode only; 404 in production)."""
    if settings.PRODUCTION or not settings.DEMO_MODE:
        raise Http404
    user = User.objects.filter(username=request.POST.get("username", ""), is_demo=True, is_active=True).first()
    if user is None:
        raise Http404
    return _finish_login(request, user, "演示一键登录")


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        login.record_logout(request.user)
    auth_logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("portal:home")


def register_view(request):
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "send_code":
            _send_code(request, form, data["phone"], "register")
        elif data["password"] != data["password2"]:
            form.add_error("password2", _("两次输入的密码不一致。"))
        else:
            try:
                registration.register_citizen(
                    name=data["name"], id_number=data["id_number"], phone=data["phone"], sms_code=data["sms_code"],
                    password=data["password"], consent=bool(data["consent"]),
                )
            except ApiError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("注册成功，请登录。登录后可完成实名核验。"))
                return redirect(f"{_login_url()}?registered=1")
    return render(request, "accounts/register.html", {"form": form})


def _login_url() -> str:
    from django.urls import reverse

    return reverse("accounts:login")


def dispute_view(request):
    form = forms.RegisterForm(request.POST or None)
    for name in ("sms_code", "password", "password2", "consent"):
        form.fields.pop(name)
    from django import forms as djforms

    form.fields["description"] = djforms.CharField(label=_("情况说明"), widget=djforms.Textarea(attrs={"rows": 4}))
    if request.method == "POST" and form.is_valid():
        try:
            registration.file_dispute(**{k: form.cleaned_data[k] for k in ("name", "id_number", "phone", "description")})
        except ApiError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("申诉已提交，工作人员核实后将通过短信联系您。"))
            return redirect("portal:home")
    return render(request, "accounts/simple_form.html", {"form": form, "title": _("实名申诉"),
                                                         "intro": _("如果您的身份证号已被他人注册，请提交申诉，工作人员核实身份后为您解除原绑定。"),
                                                         "submit": _("提交申诉")})


@login_required
def profile_view(request):
    user = request.user
    context = {
        "profile": queries.profile_dict(user),
        "enterprises": queries.enterprises_visible_to(user),
        "proxy_grants": user.proxy_grants.select_related("agent"),
        "is_staff_member": login.is_staff_member(user),
        "has_otp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "staff_roles": user.staff_roles.select_related("department", "region"),
        "contact_form": forms.ContactForm(initial={"email": user.email, "address": user.address}),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def verify_identity_view(request):
    try:
        registration.verify_identity(request.user)
        messages.success(request, _("实名核验通过，认证等级已提升为 2 级。"))
    except ApiError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:profile")


@login_required
@require_POST
def contact_view(request):
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        try:
            profile.update_contact(request.user, email=form.cleaned_data["email"], address=form.cleaned_data["address"])
            messages.success(request, _("联系方式已保存。"))
        except ApiError as exc:
            messages.error(request, exc.message + " " + "；".join(exc.fields.values()))
    else:
        messages.error(request, _("联系方式有误：") + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("accounts:profile")


@login_required
def password_change_view(request):
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile.change_password(request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password"])
        except ApiError as exc:
            _apply(form, exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:profile")
    return render(request, "accounts/simple_form.html", {"form": form, "title": _("修改密码"), "submit": _("保存")})


def _sms_confirmed_page(request, form, *, purpose: str, perform, done: str, title: str, submit: str):
    """A page whose action needs an SMS code: "获取验证码" sends one, the submit button performs."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "send_code":
            _send_code(request, form, data["phone"], purpose)
        else:
            try:
                perform(data)
            except ApiError as exc:
                _apply(form, exc)
            else:
                messages.success(request, done)
                return redirect("accounts:login")
    return render(request, "accounts/simple_form.html", {"form": form, "title": title, "submit": submit,
                                                         "send_code": True})


def password_reset_view(request):
    return _sms_confirmed_page(
        request, forms.PasswordResetForm(request.POST or None), purpose="reset",
        perform=lambda d: profile.reset_password(d["phone"], d["sms_code"], d["new_password"]),
        done=_("密码已重置，请使用新密码登录。"), title=_("找回密码"), submit=_("重置密码"),
    )


def unlock_view(request):
    return _sms_confirmed_page(
        request, forms.UnlockForm(request.POST or None), purpose="unlock",
        perform=lambda d: login.unlock_by_sms(d["phone"], d["sms_code"], ip=_ip(request)),
        done=_("账号已解锁，请重新登录。"), title=_("解除账号锁定"), submit=_("解锁"),
    )


@login_required
def export_view(request):
    data = profile.export_personal_data(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="yiwang-personal-data.json"'
    return response


@login_required
def close_view(request):
    form = forms.CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile.close_account(request.user, form.cleaned_data["password"])
        except ApiError as exc:
            _apply(form, exc)
        else:
            auth_logout(request)
            messages.success(request, _("账号已注销，您的个人信息已删除。"))
            return redirect("portal:home")
    return render(request, "accounts/simple_form.html", {
        "form": form, "title": _("注销账号"), "submit": _("确认注销"), "danger": True,
        "intro": _("注销后，您的姓名、身份证号、手机号等个人信息将被删除，访问令牌和代办授权立即失效，且无法恢复。"),
    })


@login_required
def otp_setup_view(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.GET.get("new"):
        device = staff.start_totp_enrolment(request.user)
    form = forms.OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.confirm_totp_enrolment(request.user, device, form.cleaned_data["otp"])
        except ApiError as exc:
            _apply(form, exc)
        else:
            otp_login(request, device)
            messages.success(request, _("动态口令绑定成功，今后登录需输入动态口令。"))
            return redirect("accounts:profile")
    qr = segno.make(device.config_url, micro=False)
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg_uri": qr.svg_data_uri(scale=5), "secret": _b32(device),
    })


def _b32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
def enterprise_view(request):
    form = forms.EnterpriseForm(request.POST or None, initial={"legal_rep_name": request.user.name})
    if request.method == "POST" and form.is_valid():
        try:
            ent = enterprises.request_enterprise(request.user, **form.cleaned_data)
        except ApiError as exc:
            _apply(form, exc)
        else:
            if ent.status == ent.Status.VERIFIED:
                messages.success(request, _("已通过企业登记信息核验，您已绑定“%(name)s”。") % {"name": ent.name})
            elif ent.status == ent.Status.REJECTED:
                messages.error(request, _("未能绑定：%(note)s。如信息有误，请联系登记机关或到窗口办理。")
                               % {"note": ent.review_note})
            else:
                messages.success(request, _("已提交法人绑定申请，工作人员核验法定代表人后生效。"))
            return redirect("accounts:profile")
    return render(request, "accounts/simple_form.html", {"form": form, "title": _("绑定法人"), "submit": _("提交申请")})


def email_verify_view(request, token: str):
    try:
        profile.confirm_email(token)
        messages.success(request, _("邮箱验证成功。"))
    except ApiError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
