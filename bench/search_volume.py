"""Catalogue volume for the search benchmarks (imported with Django set up; not a test).

- ``ensure_demo_catalogue()``: the demo organisations and the demo catalogue of 兖州区, indexed, with
  the default synonyms (idempotent).
- ``generate_items(n)``: ``n`` extra published items with realistic names, summaries, conditions,
  materials and laws (a seeded random mix of real-world vocabulary), bulk-inserted and indexed —
  20,000 in well under a minute. Idempotent: items already generated are kept.
- ``query_mix()``: the fixed query mix of the latency benchmarks (the phrasings of the quality set
  plus pinyin, one-word and empty queries).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CODE_PREFIX = "BENCHGEN"  # 实施编码 of generated items (opaque strings; never a real code)


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def ensure_demo_catalogue() -> int:
    """Load the demo organisations and catalogue if missing; index; seed synonyms. Returns entries."""
    from yiwang.catalog import search
    from yiwang.catalog.models import SearchEntry, ServiceItem

    try:
        from yiwang.catalog.demo import DEMO_FILE, load_demo_catalogue
        from yiwang.org.demo import load_demo_org
    except ImportError as exc:  # the demo loader is another engineer's work in progress
        raise SystemExit(f"bench: the demo catalogue loader is not available yet ({exc})") from None
    if not Path(DEMO_FILE).exists():
        raise SystemExit(f"bench: {DEMO_FILE} does not exist yet (src/yiwang/catalog/data/build_demo_catalog.py)")
    load_demo_org()
    log(f"demo catalogue: {load_demo_catalogue()}")
    search.seed_default_synonyms()
    demo = ServiceItem.objects.exclude(code__startswith=CODE_PREFIX).filter(current__isnull=False).count()
    indexed = SearchEntry.objects.exclude(code__startswith=CODE_PREFIX).count()
    if indexed != demo:
        log(f"indexing the demo catalogue ({indexed} of {demo} items were indexed)")
        search.rebuild_index()
    return SearchEntry.objects.count()


# --- generated volume ------------------------------------------------------------------------------

SUBJECTS = [
    "道路货物运输经营", "道路旅客运输经营", "机动车维修经营", "机动车驾驶员培训", "出租汽车经营", "网络预约出租汽车经营",
    "种子生产经营", "农药经营", "兽药经营", "饲料生产", "动物防疫条件", "生猪定点屠宰", "农作物种子", "渔业捕捞",
    "林木采伐", "林草种子生产经营", "野生动物驯养繁殖", "水土保持方案", "取水", "河道管理范围内建设项目",
    "排污", "危险废物经营", "建设项目环境影响评价", "辐射安全", "建筑业企业资质", "工程监理企业资质",
    "房地产开发企业资质", "物业服务", "商品房预售", "城市建筑垃圾处置", "城镇污水排入排水管网", "户外广告设施设置",
    "临时占用城市道路", "挖掘城市道路", "城市绿地占用", "树木砍伐迁移", "燃气经营", "供热经营",
    "医疗机构执业", "诊所备案", "母婴保健技术服务", "放射诊疗", "医师执业注册", "护士执业注册", "乡村医生执业",
    "饮用水供水单位卫生", "职业卫生技术服务", "消毒产品生产企业卫生", "药品零售企业", "第二类医疗器械经营",
    "第三类医疗器械经营", "食品生产", "食品小作坊", "小餐饮", "特种设备使用", "特种设备作业人员",
    "计量器具型式批准", "广告发布", "有限责任公司", "股份有限公司", "合伙企业", "个人独资企业", "农民专业合作社",
    "外商投资企业", "分公司", "非公司企业法人", "社会团体", "民办非企业单位", "基金会", "民办学校",
    "校外培训机构", "幼儿园", "教师资格", "中小学生转学", "学籍", "出版物零售", "印刷经营", "网吧",
    "娱乐场所", "营业性演出", "旅行社", "文物保护单位修缮", "体育经营活动", "高危险性体育项目",
    "烟花爆竹零售", "危险化学品经营", "安全生产许可", "非煤矿山", "建设工程消防设计", "公众聚集场所投入使用营业前消防安全检查",
    "人力资源服务", "劳务派遣经营", "职业技能等级", "特殊工时制度", "企业职工基本养老保险", "城乡居民基本养老保险",
    "失业保险", "工伤保险", "医疗保险关系转移", "生育保险", "门诊慢特病", "异地就医", "定点医药机构",
    "最低生活保障", "特困人员救助供养", "临时救助", "孤儿基本生活保障", "事实无人抚养儿童", "困难残疾人生活补贴",
    "重度残疾人护理补贴", "经济困难老年人补贴", "高龄津贴", "养老机构", "殡葬服务", "公墓建设",
    "退役士兵安置", "伤残抚恤", "优待证", "烈士褒扬", "地名命名更名", "村民委员会", "宗教活动场所",
    "律师执业", "公证", "法律援助", "人民调解", "司法鉴定", "不动产首次", "不动产转移", "不动产抵押",
    "不动产变更", "不动产注销", "预告登记", "查封登记", "异议登记", "宅基地使用权", "集体土地所有权",
    "国有建设用地使用权", "建设用地规划", "建设工程规划", "乡村建设规划", "临时用地", "采矿权", "测绘资质",
    "住房公积金缴存", "住房公积金提取", "住房公积金贷款", "公共租赁住房", "住房租赁补贴", "棚户区改造",
    "居民身份证", "户口迁移", "出生登记", "死亡注销户口", "居住证", "普通护照", "往来港澳通行证", "机动车登记",
    "机动车驾驶证", "无犯罪记录证明", "剧毒化学品购买", "民用爆炸物品", "保安服务", "旅馆业特种行业",
    "结婚登记", "离婚登记", "补领婚姻登记证", "收养登记", "生育登记", "独生子女父母奖励", "计划生育家庭特别扶助",
    "出生医学证明", "预防接种证", "增值税发票", "税务登记", "个人所得税", "车辆购置税", "契税", "房产税",
    "城镇土地使用税", "印花税", "社会保险费", "残疾人证", "残疾人辅助器具", "残疾人就业", "就业创业证",
    "创业担保贷款", "职业培训补贴", "高校毕业生就业", "档案托管", "人才引进", "职称评审",
]
ACTIONS = [
    "许可", "许可新办", "许可变更", "许可延续", "许可注销", "许可证补发", "设立登记", "变更登记", "注销登记",
    "备案", "备案变更", "审批", "核准", "认定", "确认", "申领", "补领", "换领", "年度报告", "资格审查",
    "证明开具", "信息查询", "待遇申领", "关系转移", "费用报销", "补贴发放",
]
SCOPES = ["", "（县级）", "（乡镇）", "（跨区域）", "（告知承诺）"]
CONDITIONS = [
    "申请人具有完全民事行为能力。", "具有与经营规模相适应的固定场所和设施设备。", "有健全的管理制度和安全责任制度。",
    "法定代表人（负责人）无不良信用记录。", "符合国土空间规划和产业政策。", "从业人员经培训考核合格并取得相应资格。",
    "申请材料齐全、符合法定形式。", "已依法缴纳社会保险费。", "户籍在本区或持有本区居住证。", "符合国家规定的年龄条件。",
    "经营场所与住宅保持规定距离。", "具有符合要求的消防安全条件。", "具备卫生、环保等方面的必要条件。",
    "近三年内未发生重大安全事故。", "已取得营业执照。", "已办理不动产权证书或具有合法使用证明。",
]
MATERIALS = [
    "申请书", "居民身份证", "营业执照复印件", "法定代表人身份证明", "授权委托书", "经营场所证明", "房屋租赁合同",
    "不动产权证书", "户口簿", "结婚证", "出生医学证明", "社会保障卡", "银行账户信息", "从业人员资格证明",
    "安全管理制度", "设施设备清单", "平面布置图", "消防验收意见书", "环境影响评价文件", "技术人员名单",
    "章程", "股东会决议", "验资报告", "财务会计报告", "劳动合同", "医疗费用票据", "诊断证明", "残疾评定材料",
    "收入情况声明", "家庭成员信息表", "承诺书", "照片", "合同备案材料", "完税证明", "规划许可证", "施工图审查合格书",
]
LAWS = [
    "《中华人民共和国行政许可法》第二十九条", "《中华人民共和国道路运输条例》", "《中华人民共和国食品安全法》第三十五条",
    "《中华人民共和国社会保险法》", "《中华人民共和国建筑法》第七条", "《中华人民共和国城乡规划法》",
    "《不动产登记暂行条例》", "《住房公积金管理条例》", "《中华人民共和国居民身份证法》", "《婚姻登记条例》",
    "《社会救助暂行办法》", "《中华人民共和国公司法》", "《中华人民共和国市场主体登记管理条例》",
    "《中华人民共和国消防法》", "《中华人民共和国药品管理法》", "《中华人民共和国环境影响评价法》",
    "《中华人民共和国残疾人保障法》", "《中华人民共和国老年人权益保障法》", "《中华人民共和国种子法》",
    "《中华人民共和国动物防疫法》", "《中华人民共和国教育法》", "《医疗机构管理条例》", "《特种设备安全法》",
]
AUDIENCE_SETS = [["1"], ["2"], ["2", "3", "4"], ["1", "2"], ["2", "6"]]
ITEM_TYPES = ["01", "01", "01", "05", "07", "07", "08", "10", "20", "20"]
DEPTHS = [["1"], ["1", "2"], ["1", "2", "3", "4"], ["1", "2", "3", "4", "5", "6"], ["1", "2", "3", "4", "5", "6", "7"]]
TONGBAN = ["none", "none", "none", "cross_county", "cross_city", "cross_province", "national"]


def _context():
    from yiwang.org.models import Department, Region

    region = Region.objects.filter(code="370812").first() or Region.objects.filter(level=3).first()
    if region is None:
        province = Region.objects.create(code="379900", name="演示省", level=1, is_demo=True)
        city = Region.objects.create(code="379901", name="演示市", level=2, parent=province, is_demo=True)
        region = Region.objects.create(code="379902", name="演示县", level=3, parent=city, is_demo=True)
    departments = list(Department.objects.filter(region=region, active=True))
    if not departments:
        departments = [
            Department.objects.create(code=f"bench-{n}", name=f"压测部门{n}", region=region, is_demo=True)
            for n in range(12)
        ]
    return region, departments


def generate_items(n: int = 20_000, seed: int = 20_000, batch: int = 2_000) -> int:
    """Create ``n`` published, indexed items (``CODE_PREFIX`` codes). Returns how many were created."""
    from django.db import transaction

    from yiwang.catalog.models import BaseItem, ItemVersion, Material, SearchEntry, ServiceItem, Theme
    from yiwang.catalog.search.indexing import _Segmenter, entry_fields, published_versions

    have = ServiceItem.objects.filter(code__startswith=CODE_PREFIX).count()
    if have >= n:
        log(f"{have} generated items already there")
        return 0
    started = time.perf_counter()
    rng = random.Random(seed)
    region, departments = _context()
    themes = list(Theme.objects.all())
    names = [f"{s}{a}{c}" for s in SUBJECTS for a in ACTIONS for c in SCOPES]
    rng.shuffle(names)
    seg = _Segmenter(memo=True)
    created = 0
    for start in range(have, n, batch):
        stop = min(start + batch, n)
        with transaction.atomic():
            bases = BaseItem.objects.bulk_create([
                BaseItem(basic_code=f"{CODE_PREFIX}{i:010d}", name=names[i % len(names)],
                         item_type=rng.choice(ITEM_TYPES), is_demo=True)
                for i in range(start, stop)
            ])
            items = ServiceItem.objects.bulk_create([
                ServiceItem(code=f"{CODE_PREFIX}{i:010d}", base=base, department=rng.choice(departments),
                            region=region, popularity=min(int(rng.paretovariate(1.2)) - 1, 5000), is_demo=True)
                for i, base in zip(range(start, stop), bases, strict=True)
            ])
            versions = []
            for item, base in zip(items, bases, strict=True):
                name = base.name
                subject = next((s for s in SUBJECTS if name.startswith(s)), name[:4])
                instant = rng.random() < 0.2
                versions.append(ItemVersion(
                    item=item, number=1, status="published", name=name, item_type=base.item_type,
                    legal_basis="；".join(rng.sample(LAWS, 2)),
                    conditions="\n".join(f"{k + 1}. {c}" for k, c in enumerate(rng.sample(CONDITIONS, 3))),
                    legal_limit_value=20, promised_limit_value=0 if instant else rng.choice([1, 3, 5, 10]),
                    case_type="1" if instant else "2", audiences=rng.choice(AUDIENCE_SETS),
                    online_depth=rng.choice(DEPTHS), tongban_scope=rng.choice(TONGBAN),
                    charges=rng.random() < 0.1, result_name=f"{subject}{'证' if rng.random() < 0.5 else '决定书'}",
                    summary=f"办理{name}，申请人可通过政务服务网或到政务服务中心窗口提交申请，{subject}相关事项一次办好。",
                    aliases=[], place="政务服务中心", hours="工作日",
                ))
            versions = ItemVersion.objects.bulk_create(versions)
            for item, version in zip(items, versions, strict=True):
                item.current = version
            ServiceItem.objects.bulk_update(items, ["current"])
            materials = []
            for version in versions:
                for order, material in enumerate(rng.sample(MATERIALS, rng.randint(3, 6))):
                    materials.append(Material(version=version, code=f"M{order + 1:02d}", name=material, order=order))
            Material.objects.bulk_create(materials)
            if themes:
                through = ItemVersion.themes.through
                through.objects.bulk_create([
                    through(itemversion_id=v.id, theme_id=rng.choice(themes).id) for v in versions
                ])
            SearchEntry.objects.bulk_create([
                SearchEntry(item_id=v.item_id, **entry_fields(v, seg))
                for v in published_versions().filter(id__in=[v.id for v in versions])
            ])
        created += stop - start
        log(f"generated {stop}/{n} items ({time.perf_counter() - started:.1f} s)")
    vacuum_analyze()
    return created


def remove_generated() -> int:
    from yiwang.catalog.models import BaseItem, ItemVersion, ServiceItem

    items = ServiceItem.objects.filter(code__startswith=CODE_PREFIX)
    count = items.count()
    items.update(current=None)
    ItemVersion.objects.filter(item__code__startswith=CODE_PREFIX).delete()
    items.delete()
    BaseItem.objects.filter(basic_code__startswith=CODE_PREFIX).delete()
    return count


# --- query mix -------------------------------------------------------------------------------------

EXTRA_QUERIES = ["yyzz", "gjj", "shebaoka", "营业执照", "登记", "许可", "证明", "", "医保", "不动产", "yiliao"]


def query_mix() -> list[str]:
    """The quality set's phrasings plus a few one-word, pinyin and empty queries (fixed order)."""
    import yaml

    data = yaml.safe_load((BENCH_DIR / "search_queries.yaml").read_text(encoding="utf-8"))
    queries = [str(row["q"]) for row in data["queries"]]
    return queries + EXTRA_QUERIES


def vacuum_analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map) after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE catalog_searchentry")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def request_paths() -> str:
    """``|``-separated API paths of the query mix for the wrk script (URL-encoded)."""
    from urllib.parse import quote

    base = "/api/v1/catalog/items"
    paths = [f"{base}?q={quote(q)}" for q in query_mix()]
    paths += [
        f"{base}?q={quote('营业执照')}&audience=2",
        f"{base}?q={quote('证明')}&page=2",
        f"{base}?q=&online=full",
        f"{base}?q={quote('登记')}&department=market&page_size=50",
    ]
    return "|".join(paths)
