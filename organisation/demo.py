"""The demo company used by `seed_demo`: two BGs, four BUs, ten segments and one user per
role. BU4 deliberately has no segment managers, so its BU VP does their work."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from organisation.models import BusinessGroup, BusinessUnit, Role, RoleMembership, Segment
from organisation.services import org_load

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed by seed_demo; demo databases only

DEMO_ORG = {
    "business_groups": [
        {
            "code": "BG1",
            "name_zh": "制造业务群",
            "name_en": "Manufacturing BG",
            "business_units": [
                {
                    "code": "BU1",
                    "name_zh": "离散制造事业部",
                    "name_en": "Discrete Manufacturing BU",
                    "segments": [
                        {"code": "AUTO", "name_zh": "汽车零部件", "name_en": "Automotive parts"},
                        {"code": "ELEC", "name_zh": "电子装配", "name_en": "Electronics assembly"},
                        {"code": "MACH", "name_zh": "机械装备", "name_en": "Machinery"},
                    ],
                },
                {
                    "code": "BU2",
                    "name_zh": "流程制造事业部",
                    "name_en": "Process Manufacturing BU",
                    "segments": [
                        {"code": "CHEM", "name_zh": "化工", "name_en": "Chemicals"},
                        {"code": "FOOD", "name_zh": "食品饮料", "name_en": "Food and beverage"},
                        {"code": "PHAR", "name_zh": "医药", "name_en": "Pharmaceuticals"},
                    ],
                },
            ],
        },
        {
            "code": "BG2",
            "name_zh": "服务业务群",
            "name_en": "Services BG",
            "business_units": [
                {
                    "code": "BU3",
                    "name_zh": "金融服务事业部",
                    "name_en": "Financial Services BU",
                    "segments": [
                        {"code": "BANK", "name_zh": "银行", "name_en": "Banking"},
                        {"code": "INSU", "name_zh": "保险", "name_en": "Insurance"},
                    ],
                },
                {
                    "code": "BU4",
                    "name_zh": "零售与物流事业部",
                    "name_en": "Retail and Logistics BU",
                    "segments": [
                        {"code": "RETL", "name_zh": "零售连锁", "name_en": "Retail chains"},
                        {"code": "LOGI", "name_zh": "物流仓储", "name_en": "Logistics"},
                    ],
                },
            ],
        },
    ]
}

# username, family name, given name, role, unit code
DEMO_USERS = [
    ("wang.jianguo", "王", "建国", Role.BG_VP, "BG1"),
    ("li.minghua", "李", "明华", Role.BG_VP, "BG2"),
    ("zhang.wei", "张", "伟", Role.BU_VP, "BU1"),
    ("liu.yang", "刘", "洋", Role.BU_VP, "BU2"),
    ("chen.jing", "陈", "静", Role.BU_VP, "BU3"),
    ("yang.fan", "杨", "帆", Role.BU_VP, "BU4"),
    ("zhao.lei", "赵", "磊", Role.SEGMENT_MANAGER, "AUTO"),
    ("sun.li", "孙", "丽", Role.SEGMENT_MANAGER, "ELEC"),
    ("zhou.qiang", "周", "强", Role.SEGMENT_MANAGER, "MACH"),
    ("wu.min", "吴", "敏", Role.SEGMENT_MANAGER, "CHEM"),
    ("zheng.hao", "郑", "浩", Role.SEGMENT_MANAGER, "FOOD"),
    ("feng.xue", "冯", "雪", Role.SEGMENT_MANAGER, "PHAR"),
    ("he.jun", "何", "军", Role.SEGMENT_MANAGER, "BANK"),
    ("lin.yan", "林", "燕", Role.SEGMENT_MANAGER, "INSU"),
    ("gao.peng", "高", "鹏", Role.ACCOUNT_MANAGER, "BU1"),
    ("ma.lin", "马", "琳", Role.ACCOUNT_MANAGER, "BU1"),
    ("luo.bin", "罗", "斌", Role.ACCOUNT_MANAGER, "BU2"),
    ("liang.yu", "梁", "宇", Role.ACCOUNT_MANAGER, "BU3"),
    ("song.tao", "宋", "涛", Role.ACCOUNT_MANAGER, "BU4"),
    ("tang.hui", "唐", "慧", Role.RESEARCHER, "BU1"),
    ("han.mei", "韩", "梅", Role.RESEARCHER, "BU2"),
    ("cao.yun", "曹", "云", Role.RESEARCHER, "BU3"),
    ("deng.chao", "邓", "超", Role.RESEARCHER, "BU4"),
    ("xu.ning", "许", "宁", Role.EXTERNAL_RELATIONS, "BU1"),
    ("xie.fang", "谢", "芳", Role.EXTERNAL_RELATIONS, "BU3"),
]


def _unit_for(role: Role, code: str) -> dict:
    if role == Role.BG_VP:
        return {"business_group": BusinessGroup.objects.get(code=code)}
    if role == Role.SEGMENT_MANAGER:
        return {"segment": Segment.objects.get(code=code)}
    return {"business_unit": BusinessUnit.objects.get(code=code)}


@transaction.atomic
def seed_org_and_users() -> list[tuple[str, str, str]]:
    """Create the demo org and users (idempotent). Returns (username, role, unit) rows."""
    org_load(document=DEMO_ORG)
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "last_name": "管理员"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    logins = [("admin", "Administrator", "—")]
    for username, family, given, role, code in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"last_name": family, "first_name": given, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        RoleMembership.objects.get_or_create(user=user, role=role, **_unit_for(role, code))
        logins.append((username, str(role.label), code))
    return logins
