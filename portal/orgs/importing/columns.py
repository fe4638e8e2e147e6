"""The import template's columns: Chinese header → field name. * marks a required column."""

ORG_SHEET = "机构"
USER_SHEET = "用户"

ORG_COLUMNS = {
    "机构代码": "code",
    "机构名称": "name",
    "机构类别": "kind",
    "上级机构代码": "parent_code",
    "行政区划代码": "division_code",
    "学校类型": "school_type",
    "办学性质": "ownership",
    "通讯地址": "address",
    "邮编": "postcode",
}
ORG_REQUIRED = ("机构代码", "机构名称", "机构类别")

USER_COLUMNS = {
    "用户名": "username",
    "姓名": "real_name",
    "所属机构代码": "org_code",
    "角色": "roles",
    "职务": "job_title",
    "手机": "phone",
    "固话": "office_phone",
    "电子邮件": "email",
    "初始密码": "password",
}
USER_REQUIRED = ("用户名", "姓名", "所属机构代码", "角色")

FIELD_LABELS = {field: header for header, field in {**ORG_COLUMNS, **USER_COLUMNS}.items()}
