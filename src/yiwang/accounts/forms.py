"""Web forms: they only collect input; the services validate and the views copy field errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Enterprise


class Form(forms.Form):
    """Labels without Django's trailing colon (the layout separates label and field)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(Form):
    username = forms.CharField(label=_("用户名 / 手机号 / 身份证号"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class SmsLoginForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=11, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class OtpForm(Form):
    otp = forms.CharField(label=_("动态口令"), max_length=6, help_text=_("验证器（如 FreeOTP、Google Authenticator）中当前显示的 6 位数字"),
                          widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class RegisterForm(Form):
    name = forms.CharField(label=_("姓名"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("身份证号"), max_length=18, help_text=_("18 位居民身份证号码，末位可为 X"))
    phone = forms.CharField(label=_("手机号"), max_length=11,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False,
                               help_text=_("先填写手机号，再点击“获取验证码”"),
                               widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
    password = forms.CharField(label=_("设置密码"), required=False, strip=False,
                               help_text=_("至少 8 位，且包含大写字母、小写字母、数字、符号中的三类"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("确认密码"), required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(label=_("我已阅读并同意《隐私政策与个人信息处理规则》"), required=False)


class PasswordChangeForm(Form):
    old_password = forms.CharField(label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class PasswordResetForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=11, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
    new_password = forms.CharField(label=_("新密码"), required=False, strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class UnlockForm(Form):
    phone = forms.CharField(label=_("手机号"), max_length=11, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)


class CloseAccountForm(Form):
    password = forms.CharField(label=_("请输入密码以确认注销"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("我了解注销后个人信息将被删除且无法恢复"), required=True)


class ContactForm(Form):
    email = forms.EmailField(label=_("电子邮箱"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label=_("联系地址"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "street-address"}))


class EnterpriseForm(Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    type = forms.ChoiceField(label=_("法人类型"), choices=Enterprise.Type.choices)
    legal_rep_name = forms.CharField(label=_("法定代表人"), max_length=30, required=False,
                                     help_text=_("默认为您本人的姓名"))
