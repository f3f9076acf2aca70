"""Every outbox event name, its payload and who consumes it — the one list in the code.

``docs/events.md`` is generated from it (``yiwang events --markdown``) and a test keeps the two,
and every ``emit("…")`` in the source, in step. A consumer listed here is registered with
``core.dispatch.consumer``; an event nobody consumes is still kept for later issues and marked
dispatched.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventSpec:
    name: str
    payload: tuple[str, ...]
    description: str
    consumers: tuple[str, ...] = ()


NOTIFY = "notifications"
CERTS = "certificates"
_CERT = ("certificate_id", "identifier")
_CERT_HOLDER = ("holder_user_id", "holder_enterprise_id")

_CASE = ("case_id", "number")

EVENTS: tuple[EventSpec, ...] = (
    # --- cases (DESIGN §4.2 order) ---
    EventSpec("case.drafted", ("case_id", "item_code", "channel"), "草稿已创建"),
    EventSpec("case.submitted", (*_CASE, "item_code", "resupplied?"),
              "已申报（补正后重新提交时 resupplied=true）", (NOTIFY,)),
    EventSpec("case.accepted", (*_CASE, "due_date"), "已受理", (NOTIFY,)),
    EventSpec("case.correction_requested", (*_CASE, "missing", "reply_by"), "要求补正", (NOTIFY,)),
    EventSpec("case.refused", (*_CASE, "reason", "legal_basis"), "不予受理", (NOTIFY,)),
    EventSpec("case.decided", (*_CASE, "outcome"), "已作出决定（grant / deny）", (NOTIFY, CERTS)),
    EventSpec("case.suspended", (*_CASE, "kind"), "进入特别程序，时限暂停"),
    EventSpec("case.resumed", (*_CASE, "kind", "due_date"), "特别程序结束，时限恢复"),
    EventSpec("case.extended", (*_CASE, "working_days", "due_date"), "经批准延期"),
    EventSpec("case.completed", (*_CASE, "result_code"), "已办结（结果代码）", (NOTIFY,)),
    EventSpec("case.delivered", (*_CASE, "method"), "已送达", (NOTIFY,)),
    EventSpec("case.withdrawn", _CASE, "申请人撤回", (NOTIFY,)),
    EventSpec("workitem.created", ("case_id", "work_item_id", "step", "department", "role"),
              "新的待办（受理环节只带 case_id 与 step）", (NOTIFY,)),
    EventSpec("deadline.warning", (*_CASE, "due_date", "remaining_working_days", "level"),
              "黄灯：距承诺办结日不足 2 个工作日（每件每级一次）", (NOTIFY,)),
    EventSpec("deadline.overdue", (*_CASE, "due_date", "remaining_working_days", "level"),
              "红灯：已超过承诺办结日（每件每级一次）", (NOTIFY,)),
    # --- certificates (issue 7) ---
    EventSpec("certificate.issued", (*_CERT, "type", *_CERT_HOLDER, "case_id", "action"),
              "电子证照已签发（action: issue / renew / change）"),
    EventSpec("certificate.suspended", (*_CERT, "status", *_CERT_HOLDER), "电子证照已中止"),
    EventSpec("certificate.resumed", (*_CERT, "status", *_CERT_HOLDER), "电子证照已恢复"),
    EventSpec("certificate.revoked", (*_CERT, "status", *_CERT_HOLDER), "电子证照已注销"),
    EventSpec("certificate.superseded", (*_CERT, "status", *_CERT_HOLDER), "电子证照已换发为新版本"),
    # --- data sharing (issue 8) ---
    EventSpec("sharing.grant_requested", ("grant_id", "resource", "consumer"), "有条件共享申请已提交"),
    EventSpec("sharing.grant_approved", ("grant_id", "resource", "consumer"), "共享申请已批准"),
    EventSpec("sharing.grant_refused", ("grant_id", "resource", "consumer"), "共享申请不予批准"),
    EventSpec("sharing.grant_revoked", ("grant_id", "resource", "consumer", "note"), "共享授权已撤销"),
    EventSpec("sharing.resource_created", ("resource", "provider", "share_type"), "共享资源已发布"),
    EventSpec("sharing.resource_updated", ("resource", "version", "changed"), "共享资源目录已修改（版本升级）"),
    EventSpec("sharing.objection_raised", ("objection_id", "resource", "provider", "item", "raised_for", "due_by"),
              "数据纠错已提出（raised_for 为空表示本人提出）"),
    EventSpec("sharing.objection_resolved",
              ("objection_id", "resource", "item", "outcome", "raised_by", "raised_for"),
              "数据纠错已处理（已更正 / 已说明）"),
    EventSpec("sharing.import_applied", ("batch_id", "resource", "rows_total", "created", "updated", "deleted"),
              "共享资源数据批量导入成功"),
    EventSpec("sharing.import_rejected", ("batch_id", "resource", "rows_total", "error_count"),
              "共享资源数据导入未通过校验（未写入任何数据）"),
    # --- catalogue ---
    EventSpec("catalog.item.created", ("item_code",), "事项已创建"),
    EventSpec("catalog.item.withdrawn", ("item_code",), "事项已停用"),
    EventSpec("catalog.version.drafted", ("item_code", "version"), "事项版本草稿"),
    EventSpec("catalog.version.updated", ("item_code", "version"), "事项版本已修改"),
    EventSpec("catalog.version.submitted", ("item_code", "version"), "事项版本送审"),
    EventSpec("catalog.version.returned", ("item_code", "version"), "事项版本退回"),
    EventSpec("catalog.version.published", ("item_code", "version"), "事项版本已发布"),
    # --- organisation ---
    EventSpec("org.region.created", ("code", "name", "level", "parent"), "区划已创建"),
    EventSpec("org.region.updated", ("code", "changes"), "区划已修改"),
    EventSpec("org.region.retired", ("code", "name", "retired_on"), "区划已撤销"),
    EventSpec("org.department.created", ("code", "name", "short_name", "kind", "uscc", "region", "parent", "active"), "部门已创建"),
    EventSpec("org.department.updated", ("code", "changes"), "部门已修改"),
    # --- accounts ---
    EventSpec("account.registered", ("user_id", "level"), "用户注册"),
    EventSpec("account.identity_verified", ("user_id",), "实名核验通过"),
    EventSpec("account.dispute_filed", ("dispute_id",), "证件号被占用申诉"),
    EventSpec("account.dispute_resolved", ("dispute_id", "upheld"), "申诉处理完毕"),
    EventSpec("account.locked", ("user_id",), "多次登录失败，账号锁定"),
    EventSpec("account.unlocked", ("user_id", "by"), "账号解锁"),
    EventSpec("account.password_changed", ("user_id",), "密码已修改", (NOTIFY,)),
    EventSpec("account.password_reset", ("user_id",), "密码已重置", (NOTIFY,)),
    EventSpec("account.contact_updated", ("user_id",), "联系方式已修改"),
    EventSpec("account.email_verified", ("user_id",), "邮箱已验证"),
    EventSpec("account.closed", ("user_id",), "账号已注销"),
    EventSpec("auth.sms_code_sent", ("purpose", "sms_code_id"), "短信验证码已发送"),
    EventSpec("staff_role.granted", ("user_id", "role"), "授予工作人员角色"),
    EventSpec("staff_role.revoked", ("user_id", "role"), "撤销工作人员角色"),
    EventSpec("otp.enrolled", ("user_id",), "绑定动态口令"),
    EventSpec("otp.reset", ("user_id",), "重置动态口令"),
    EventSpec("enterprise.requested", ("enterprise_id",), "企业认证申请"),
    EventSpec("enterprise.reviewed", ("enterprise_id", "approved"), "企业认证审核"),
    EventSpec("enterprise.agent_granted", ("enterprise_id", "agent_id"), "授权经办人"),
    EventSpec("enterprise.agent_revoked", ("enterprise_id", "agent_id"), "撤销经办人"),
    EventSpec("proxy.authorized", ("authorization_id", "grantor_id", "agent_id"), "代办授权"),
    EventSpec("proxy.revoked", ("authorization_id",), "撤销代办授权"),
)

BY_NAME: dict[str, EventSpec] = {e.name: e for e in EVENTS}


def markdown() -> str:
    """The table in ``docs/events.md``."""
    lines = [
        "# Outbox events",
        "",
        "Generated from `src/yiwang/core/event_catalog.py` by `yiwang events --markdown > docs/events.md`;",
        "a test fails when the two differ. `?` marks an optional payload key.",
        "",
        "| event | payload | meaning | consumers |",
        "|---|---|---|---|",
    ]
    for e in EVENTS:
        payload = ", ".join(f"`{p}`" for p in e.payload)
        lines.append(f"| `{e.name}` | {payload} | {e.description} | {', '.join(e.consumers) or '—'} |")
    return "\n".join(lines) + "\n"
