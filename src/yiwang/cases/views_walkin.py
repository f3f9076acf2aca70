"""窗口收件 (walk-in): a window clerk registers a case for a person identified at the counter, then
fills the form and scans the paper materials on the ordinary draft page, and prints the receipt."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.policies import departments_scope, staff_roles
from yiwang.accounts.roles import Role
from yiwang.cases import applying
from yiwang.cases.views_workbench import _nav, staff_required
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.core.api import ApiError


class WalkInForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("办理事项"))
    name = forms.CharField(label=gettext_lazy("申请人姓名"), max_length=60)
    id_number = forms.CharField(label=gettext_lazy("居民身份证号码"), max_length=18,
                                help_text=gettext_lazy("请当面核验申请人身份证原件后录入。"))
    phone = forms.CharField(label=gettext_lazy("手机号码"), max_length=20, required=False,
                            help_text=gettext_lazy("用于接收办件进度和查询密码短信，可不填。"))
    checked = forms.BooleanField(label=gettext_lazy("已当面核验申请人身份证原件，人证一致"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("请选择事项"))] + [(i.code, i.current.name) for i in items]


def walk_in_items(user):
    """Published items whose accepting unit is one where the user is a window clerk."""
    clerk_at = [r.department for r in staff_roles(user) if r.role == Role.WINDOW_CLERK and r.department_id]
    if not clerk_at and any(r.role == Role.WINDOW_CLERK for r in staff_roles(user)):
        clerk_at = list(departments_scope(user))
    items = (ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED)
             .select_related("current", "department__region").order_by("current__name"))
    codes, centres = {d.pk for d in clerk_at}, {}
    return [i for i in items if applying.accepting_department(i, centres).pk in codes]


@staff_required
def register(request):
    items = walk_in_items(request.user)
    if not items:
        return render(request, "cases/workbench/forbidden.html",
                      {"message": _("只有受理窗口的工作人员可以窗口收件。")} | _nav(request), status=403)
    form = WalkInForm(request.POST or None, items=items,
                      initial={"item": request.GET.get("item", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case, _created = applying.register_walk_in(
                    request.user, data["item"], name=data["name"], id_number=data["id_number"],
                    phone=data["phone"], idempotency_key=request.POST.get("token", "")[:60])
            except ApiError as exc:
                for key, message in exc.fields.items():
                    form.add_error(key if key in form.fields else None, message)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("已登记申请人，请填写申请表并扫描上传纸质材料后提交。"))
                return redirect("cases:draft", case.pk)
        status = 400
    return render(request, "cases/walkin/register.html", {"form": form, "token": _token(request)} | _nav(request),
                  status=status)


def _token(request) -> str:
    """One idempotency key per rendered form, so a double submit registers one case."""
    import secrets

    return request.POST.get("token") or secrets.token_urlsafe(16)
