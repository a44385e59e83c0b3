/* The shipped default catalog (SPEC §3) as data, one row per item: the 15 top domains of
 * 12345 platforms with their items, and the city-management event classes 06–10 of
 * GB/T 47678.5-2026. The code scheme is described in catalog.h. Admins edit their copy
 * through the API; this table is only the starting point. */
#include "domain/catalog/catalog.h"

/* Row flags: self-handling by grid workers, public intake, and the default urgency. */
#define SELF 1u
#define PUB  2u
#define URG  4u
#define CRIT 8u

/* Own limits (sign, return, reply, extension; 0 inherits). Urgent and critical items carry
 * the SPEC §3 urgent rules in working time: 紧急 "24 hours" as one working day to reply and
 * an hour to sign; 特急 "2 hours" as 2 working hours to reply and half an hour to sign. */
#define INHERIT                                                                                    \
    {                                                                                              \
        0, 0, 0, 0                                                                                 \
    }
#define URGENT                                                                                     \
    {                                                                                              \
        60, 0, WG_CATALOG_DAY_MINUTES, 0                                                           \
    }
#define CRITICAL                                                                                   \
    {                                                                                              \
        30, 0, 120, 0                                                                              \
    }

struct row {
    const char *code, *parent, *name;
    unsigned flags;
    struct wg_catalog_limits limits;
    const char *keywords; /* separated by '|' */
};

/* City-management items numbered 9xx are PROVISIONAL, to be replaced by the standard's
 * table: we do not have the text of GB/T 47678.5-2026, so apart from its two numbers SPEC
 * quotes (06028 噪声扰民, 09006 占道经营) we number typical events from 901 up in each class,
 * a range the standard's own numbers will not reach into. */
/* clang-format off */
static const struct row rows[] = {
    /* ---- GB/T 47678.5-2026 city-management events (城市管理事件) ---- */
    {"06", NULL, "市容环境", 0, INHERIT, NULL},
    {"06028", "06", "噪声扰民", PUB, INHERIT,
     "噪音|噪声|吵|吵闹|扰民|半夜|深夜|凌晨|喇叭|音响|广场舞|大声"},
    {"06901", "06", "暴露垃圾", SELF | PUB, INHERIT, "垃圾|乱扔垃圾|垃圾没人清|生活垃圾|垃圾袋"},
    {"06902", "06", "积存垃圾渣土", PUB, INHERIT, "渣土|建筑垃圾|垃圾堆积|积存|长期没清运"},
    {"06903", "06", "道路不洁", SELF | PUB, INHERIT, "路面脏|马路脏|道路脏|油污|没人扫|清扫"},
    {"06904", "06", "水域不洁", PUB, INHERIT, "河道|河面|漂浮物|水面垃圾|池塘|河里"},
    {"06905", "06", "绿地脏乱", SELF | PUB, INHERIT, "绿地|绿化带|草坪|花坛"},
    {"06906", "06", "垃圾桶满溢", SELF | PUB, INHERIT, "垃圾桶|垃圾箱|满溢|溢出|垃圾满了"},
    {"06907", "06", "露天焚烧", PUB, INHERIT, "焚烧|烧垃圾|烧树叶|冒烟|浓烟"},
    {"06908", "06", "餐饮油烟扰民", PUB, INHERIT, "油烟|烧烤|烟味|排烟|呛"},
    {"06909", "06", "动物尸体", SELF | PUB, INHERIT, "死猫|死狗|动物尸体|死老鼠"},
    {"06910", "06", "公厕脏乱", PUB, INHERIT, "厕所|公厕|卫生间|臭"},

    {"07", NULL, "宣传广告", 0, INHERIT, NULL},
    {"07901", "07", "非法小广告", SELF | PUB, INHERIT, "小广告|牛皮癣|贴广告|办证|广告贴"},
    {"07902", "07", "乱贴乱画", SELF | PUB, INHERIT, "乱贴|乱画|乱涂|涂鸦|刻画|喷涂"},
    {"07903", "07", "违规户外广告", PUB, INHERIT, "户外广告|广告牌|灯箱|大屏"},
    {"07904", "07", "广告招牌破损", PUB | URG, URGENT, "招牌|脱落|掉下来|摇摇欲坠|砸人"},
    {"07905", "07", "违规悬挂横幅", SELF | PUB, INHERIT, "横幅|条幅|标语|彩旗"},
    {"07906", "07", "散发宣传品", SELF, INHERIT, "发传单|传单|宣传单|散发"},

    {"08", NULL, "施工管理", 0, INHERIT, NULL},
    {"08901", "08", "施工扰民", PUB, INHERIT,
     "施工|工地|夜间施工|半夜施工|打桩|电钻|装修|扰民"},
    {"08902", "08", "施工废弃料", PUB, INHERIT, "施工废料|废弃料|工地垃圾|建筑垃圾"},
    {"08903", "08", "施工占道", PUB, INHERIT, "施工占道|围挡|占用道路|封路"},
    {"08904", "08", "道路遗撒", PUB, INHERIT, "遗撒|撒漏|抛洒|渣土车|泥土|沙土"},
    {"08905", "08", "工地扬尘", PUB, INHERIT, "扬尘|灰尘|尘土|没有覆盖|土堆"},
    {"08906", "08", "无证掘路", PUB, INHERIT, "挖路|开挖|掘路|挖沟"},
    {"08907", "08", "施工围挡破损", PUB, INHERIT, "围挡|倒塌|破损"},

    {"09", NULL, "街面秩序", 0, INHERIT, NULL},
    {"09006", "09", "占道经营", SELF | PUB, INHERIT,
     "占道|摆摊|地摊|小摊|摊贩|摊位|占用人行道"},
    {"09901", "09", "无照经营游商", SELF | PUB, INHERIT, "游商|流动摊贩|小商贩|无照|推车"},
    {"09902", "09", "店外经营", SELF | PUB, INHERIT, "店外|出店|门口摆|门前摆|店门口"},
    {"09903", "09", "乱堆物堆料", SELF | PUB, INHERIT, "乱堆|堆放|堆物|杂物|楼道堆|堆料"},
    {"09904", "09", "机动车乱停放", PUB, INHERIT, "乱停|违停|停车|堵路|挡道|汽车"},
    {"09905", "09", "非机动车乱停放", SELF | PUB, INHERIT,
     "电动车|自行车|共享单车|单车|电瓶车|乱停"},
    {"09906", "09", "露天烧烤", PUB, INHERIT, "烧烤|撸串|烤串|露天|夜市"},
    {"09907", "09", "乱晾晒", SELF | PUB, INHERIT, "晾晒|晒衣服|晾衣服|挂衣服|乱挂"},
    {"09908", "09", "违规饲养犬只", PUB, INHERIT, "狗|犬|遛狗|狗叫|咬人|拴绳"},

    {"10", NULL, "其他", 0, INHERIT, NULL},
    {"10901", "10", "井盖缺损", PUB | URG, URGENT, "井盖|窨井|下水井|没盖|井盖丢|井盖没了"},
    {"10902", "10", "道路积水", PUB, INHERIT, "积水|水淹|内涝|排水不畅|雨水"},
    {"10903", "10", "私搭乱建", PUB, INHERIT, "私搭|乱建|搭建|彩钢棚|加盖"},
    {"10904", "10", "毁坏绿地", PUB, INHERIT, "毁绿|踩踏|破坏绿化|砍树|种菜|侵占绿地"},
    {"10905", "10", "树木倒伏", PUB | URG, URGENT, "树倒|倒伏|大树|树枝|断枝"},
    {"10906", "10", "公共设施损坏", PUB, INHERIT, "损坏|坏了|护栏|座椅|健身器材|路牌"},
    {"10907", "10", "违规饲养家禽", SELF | PUB, INHERIT, "养鸡|养鸭|家禽|鸡叫|鸽子"},

    /* ---- the 15 top domains of 12345 platforms (SPEC §3 order) ---- */
    {"21", NULL, "城乡建设", 0, INHERIT, NULL},
    {"2101", "21", "供水中断", URG, URGENT, "停水|没水|断水|不出水|水管爆|爆管|水压低"},
    {"2102", "21", "供水水质", 0, INHERIT, "水质|水浑|黄水|水有异味|水发黄|自来水"},
    {"2103", "21", "供暖不热", 0, INHERIT, "暖气|供暖|不热|温度低|暖气片|供热"},
    {"2104", "21", "燃气泄漏", CRIT, CRITICAL, "燃气|煤气|天然气|漏气|泄漏|燃气味|煤气味"},
    {"2105", "21", "物业管理", 0, INHERIT, "物业|物业费|物业不管|物业不作为|保安|业委会|门禁"},
    {"2106", "21", "违章建筑", 0, INHERIT, "违建|违章建筑|私搭乱建|加盖|楼顶"},
    {"2107", "21", "道路维修", PUB, INHERIT, "坑|坑洼|路面破损|道路破损|塌陷|修路|路面"},
    {"2108", "21", "路灯不亮", PUB, INHERIT, "路灯|灯不亮|路灯坏|灯坏|黑灯|太黑|灯灭"},
    {"2109", "21", "电梯故障", URG, URGENT, "电梯|困人|关人|被困|困在|电梯坏|停运"},
    {"2110", "21", "下水道堵塞", PUB, INHERIT, "下水道|堵塞|堵了|污水外溢|返水|化粪池|冒水"},

    {"22", NULL, "环境保护", 0, INHERIT, NULL},
    {"2201", "22", "噪声污染", 0, INHERIT, "噪声|噪音|分贝|轰鸣|吵|工厂"},
    {"2202", "22", "大气污染", PUB, INHERIT, "废气|异味|烟囱|黑烟|空气污染|刺鼻|粉尘"},
    {"2203", "22", "水污染", PUB, INHERIT, "排污|污水|发黑|发臭|偷排|水污染|死鱼"},
    {"2204", "22", "固体废物污染", 0, INHERIT, "固废|危废|危险废物|倾倒|废渣|工业垃圾"},
    {"2205", "22", "土壤污染", 0, INHERIT, "土壤|污染土地|填埋"},
    {"2206", "22", "辐射污染", 0, INHERIT, "辐射|基站|电磁|放射"},
    {"2207", "22", "秸秆焚烧", PUB, INHERIT, "秸秆|烧麦秸|玉米秆|烧荒"},

    {"23", NULL, "交通运输", 0, INHERIT, NULL},
    {"2301", "23", "公交运营", 0, INHERIT, "公交|公交车|公交站|班次|末班|线路"},
    {"2302", "23", "出租车服务", 0, INHERIT, "出租车|的士|拒载|绕路|宰客|打表|计价器"},
    {"2303", "23", "网约车", 0, INHERIT, "网约车|滴滴|顺风车|专车"},
    {"2304", "23", "公路养护", 0, INHERIT, "公路|国道|省道|高速|路面坑洼"},
    {"2305", "23", "道路客运", 0, INHERIT, "客车|长途车|客运站|黑车|超员"},
    {"2306", "23", "货车超限超载", 0, INHERIT, "超载|超限|大货车|货车"},
    {"2307", "23", "驾培维修", 0, INHERIT, "驾校|练车|驾培|汽修|修车"},

    {"24", NULL, "教育文体", 0, INHERIT, NULL},
    {"2401", "24", "招生入学", 0, INHERIT, "入学|招生|学区|上学|转学|划片|报名"},
    {"2402", "24", "教育收费", 0, INHERIT, "学费|乱收费|补课费|校服费|资料费"},
    {"2403", "24", "校外培训", 0, INHERIT, "培训机构|补习班|辅导班|课外班|退费"},
    {"2404", "24", "校园安全", 0, INHERIT, "校园|学校门口|学生安全|霸凌|欺凌|校车"},
    {"2405", "24", "师德师风", 0, INHERIT, "老师|教师|体罚|有偿补课|辱骂学生"},
    {"2406", "24", "体育设施", 0, INHERIT, "体育场|体育馆|球场|健身|运动场"},
    {"2407", "24", "文化市场", 0, INHERIT, "网吧|歌厅|KTV|演出|娱乐场所"},
    {"2408", "24", "公共文化服务", 0, INHERIT, "图书馆|文化站|文化馆|博物馆|农家书屋"},

    {"25", NULL, "劳动和社会保障", 0, INHERIT, NULL},
    {"2501", "25", "拖欠工资", 0, INHERIT, "工资|欠薪|拖欠|讨薪|农民工|不发工资|工钱"},
    {"2502", "25", "社会保险缴纳", 0, INHERIT, "社保|五险|断缴|参保|缴费基数"},
    {"2503", "25", "养老保险", 0, INHERIT, "养老金|养老保险|退休|退休金"},
    {"2504", "25", "劳动合同", 0, INHERIT, "劳动合同|辞退|解雇|加班|经济补偿|试用期"},
    {"2505", "25", "就业服务", 0, INHERIT, "找工作|就业|招聘|失业|创业贷款"},
    {"2506", "25", "工伤认定", 0, INHERIT, "工伤|伤残鉴定|上班受伤"},
    {"2507", "25", "医疗保险", 0, INHERIT, "医保|报销|医保卡|异地就医"},

    {"26", NULL, "商贸旅游", 0, INHERIT, NULL},
    {"2601", "26", "消费纠纷", 0, INHERIT, "消费|退货|退款|商家|假货|售后"},
    {"2602", "26", "预付卡退费", 0, INHERIT, "预付卡|会员卡|充值|办卡|跑路|储值卡"},
    {"2603", "26", "旅游投诉", 0, INHERIT, "旅游|导游|景区|旅行社|门票|强制购物"},
    {"2604", "26", "农贸市场", 0, INHERIT, "农贸市场|菜市场|集市|摊位费|缺斤少两"},
    {"2605", "26", "商场超市", 0, INHERIT, "超市|商场|过期|价签"},
    {"2606", "26", "住宿餐饮服务", 0, INHERIT, "酒店|宾馆|饭店|餐馆|民宿"},

    {"27", NULL, "卫生计生", 0, INHERIT, NULL},
    {"2701", "27", "医疗服务", 0, INHERIT, "医院|医生|看病|挂号|门诊|住院"},
    {"2702", "27", "医疗纠纷", 0, INHERIT, "医疗事故|误诊|医疗纠纷|手术"},
    {"2703", "27", "预防接种", 0, INHERIT, "疫苗|接种|防疫针"},
    {"2704", "27", "传染病疫情", URG, URGENT, "传染病|疫情|聚集性|感染|发热病人"},
    {"2705", "27", "生育服务", 0, INHERIT, "生育|计生|独生子女|生育登记|出生证明"},
    {"2706", "27", "非法行医", 0, INHERIT, "黑诊所|非法行医|无证行医|游医"},
    {"2707", "27", "公共场所卫生", 0, INHERIT, "理发店|浴池|游泳馆|卫生许可|健康证"},

    {"28", NULL, "党务政务", 0, INHERIT, NULL},
    {"2801", "28", "政务服务", 0, INHERIT, "办事|窗口|审批|政务大厅|排队|跑了好几趟"},
    {"2802", "28", "政策咨询", 0, INHERIT, "政策|咨询|怎么办理|规定|需要什么材料"},
    {"2803", "28", "干部作风", 0, INHERIT, "不作为|推诿|刁难|作风|态度差|工作人员"},
    {"2804", "28", "政府信息公开", 0, INHERIT, "信息公开|公示|公开|透明"},
    {"2805", "28", "党员组织关系", 0, INHERIT, "党员|党组织|组织关系|党费|入党"},
    {"2806", "28", "意见建议", 0, INHERIT, "建议|意见|希望|呼吁"},

    {"29", NULL, "国土资源", 0, INHERIT, NULL},
    {"2901", "29", "土地征收", 0, INHERIT, "征地|征收|补偿款|拆迁|安置"},
    {"2902", "29", "不动产登记", 0, INHERIT, "房产证|不动产|产权证|过户|登记"},
    {"2903", "29", "违法占地", 0, INHERIT, "占地|占用耕地|违法用地|乱占"},
    {"2904", "29", "非法采矿", 0, INHERIT, "采矿|采砂|挖沙|盗采|开山|取土"},
    {"2905", "29", "地质灾害", CRIT, CRITICAL, "山体滑坡|滑坡|塌方|地面塌陷|泥石流|地裂缝"},
    {"2906", "29", "宅基地", 0, INHERIT, "宅基地|建房|批地"},

    {"30", NULL, "纪检监察", 0, INHERIT, NULL},
    {"3001", "30", "违纪违法举报", 0, INHERIT, "举报|贪污|受贿|腐败|违纪|挪用"},
    {"3002", "30", "四风问题", 0, INHERIT, "公款吃喝|公车私用|大操大办|吃拿卡要|四风|收礼"},
    {"3003", "30", "村务财务公开", 0, INHERIT, "村务|财务公开|村干部|账目|村委"},
    {"3004", "30", "惠民资金监管", 0, INHERIT, "截留|克扣|冒领|优亲厚友|惠民资金"},

    {"31", NULL, "经济管理", 0, INHERIT, NULL},
    {"3101", "31", "食品安全", 0, INHERIT, "食品|变质|食物中毒|吃坏|不卫生|地沟油|过期食品"},
    {"3102", "31", "产品质量", 0, INHERIT, "质量|假冒|伪劣|三无|质量问题"},
    {"3103", "31", "价格收费", 0, INHERIT, "价格|涨价|乱收费|明码标价|多收钱"},
    {"3104", "31", "市场主体登记", 0, INHERIT, "营业执照|注册公司|个体户|工商登记|执照"},
    {"3105", "31", "非法集资", 0, INHERIT, "集资|理财|高息|P2P|传销"},
    {"3106", "31", "税费征管", 0, INHERIT, "税|发票|纳税|退税|个税"},
    {"3107", "31", "特种设备安全", 0, INHERIT, "锅炉|压力容器|起重机|游乐设施|特种设备"},

    {"32", NULL, "科技与信息产业", 0, INHERIT, NULL},
    {"3201", "32", "通信信号", 0, INHERIT, "信号|没信号|信号差|手机信号|5G"},
    {"3202", "32", "宽带网络", 0, INHERIT, "宽带|断网|网速|WiFi|光纤|网线"},
    {"3203", "32", "电信资费", 0, INHERIT, "话费|流量|套餐|扣费|资费|营业厅"},
    {"3204", "32", "骚扰电话短信", 0, INHERIT, "骚扰电话|垃圾短信|推销电话|骚扰"},
    {"3205", "32", "个人信息泄露", 0, INHERIT, "个人信息|泄露|隐私|信息泄露"},
    {"3206", "32", "科技项目服务", 0, INHERIT, "科技|专利|高新|研发|科技项目"},

    {"33", NULL, "民政", 0, INHERIT, NULL},
    {"3301", "33", "低保救助", 0, INHERIT, "低保|救助|特困|临时救助|生活困难"},
    {"3302", "33", "养老服务", 0, INHERIT, "养老院|敬老院|老年人|高龄补贴|老人|助餐"},
    {"3303", "33", "残疾人帮扶", 0, INHERIT, "残疾|残疾证|轮椅|无障碍|残疾人"},
    {"3304", "33", "殡葬管理", 0, INHERIT, "殡葬|墓地|火化|丧事|公墓|骨灰"},
    {"3305", "33", "婚姻登记", 0, INHERIT, "结婚|离婚|婚姻登记|结婚证"},
    {"3306", "33", "流浪乞讨救助", URG, URGENT, "流浪|乞讨|露宿|无家可归|流浪汉"},
    {"3307", "33", "困境儿童", 0, INHERIT, "留守儿童|孤儿|困境儿童|没人管的孩子"},
    {"3308", "33", "基层自治组织", 0, INHERIT, "居委会|村委会|社会组织|换届|社区"},

    {"34", NULL, "农村农业", 0, INHERIT, NULL},
    {"3401", "34", "惠农补贴", 0, INHERIT, "种粮补贴|惠农|农机补贴|补贴|耕地地力"},
    {"3402", "34", "农资质量", 0, INHERIT, "种子|化肥|农药|假种子|农资"},
    {"3403", "34", "动物防疫", URG, URGENT, "动物疫情|病死|死猪|禽流感|猪瘟|畜禽"},
    {"3404", "34", "土地承包经营", 0, INHERIT, "承包地|土地流转|承包合同|确权|流转费"},
    {"3405", "34", "农村人居环境", 0, INHERIT, "旱厕|改厕|村里垃圾|人居环境|村容"},
    {"3406", "34", "农田水利", 0, INHERIT, "灌溉|水渠|机井|水库|浇地"},
    {"3407", "34", "农产品销售", 0, INHERIT, "滞销|农产品|卖不出去|收购"},

    {"35", NULL, "政法", 0, INHERIT, NULL},
    {"3501", "35", "治安问题", 0, INHERIT, "打架|斗殴|偷|盗窃|治安|可疑人员|赌博"},
    {"3502", "35", "矛盾纠纷", SELF, INHERIT, "纠纷|邻里|吵架|矛盾|调解|闹矛盾"},
    {"3503", "35", "消防安全隐患", URG, URGENT, "消防|消防通道|灭火器|飞线充电|楼道充电|火灾隐患"},
    {"3504", "35", "电信网络诈骗", 0, INHERIT, "诈骗|被骗|骗子|刷单|冒充"},
    {"3505", "35", "交通秩序", 0, INHERIT, "交通|红绿灯|信号灯|闯红灯|拥堵|交警"},
    {"3506", "35", "户籍证件", 0, INHERIT, "户口|户籍|身份证|落户|居住证"},
    {"3507", "35", "法律援助", 0, INHERIT, "法律援助|律师|起诉|法律咨询|打官司"},
    {"3508", "35", "涉黑涉恶", 0, INHERIT, "黑恶|恶势力|高利贷|强买强卖|欺行霸市|涉黑"},
};
/* clang-format on */

/* The questions some public items ask (their Open311 service definitions), one row per
 * attribute in showing order; list values are "key=name" separated by '|'. Between them
 * they use all six datatypes. */
struct attr_row {
    const char *item, *code;
    enum wg_attr_type type;
    int required;
    const char *description, *datatype_description, *values;
};

/* clang-format off */
static const struct attr_row attr_rows[] = {
    {"2108", "lamp", WG_ATTR_STRING, 1, "哪一盏灯不亮？请写灯杆上的编号，或说明位置",
     "灯杆编号或位置，如 LS-0123 或“人民路 12 号门口”", NULL},
    {"2108", "count", WG_ATTR_SINGLEVALUELIST, 1, "有几盏灯不亮？", "",
     "1=1 盏|2-5=2–5 盏|more=5 盏以上"},
    {"2108", "since", WG_ATTR_DATETIME, 0, "从什么时候开始不亮？",
     "日期和时间，带时区，如 2026-01-15T19:30:00+08:00", NULL},
    {"10901", "state", WG_ATTR_SINGLEVALUELIST, 1, "井盖是什么情况？", "",
     "missing=井盖丢失|broken=井盖破损|loose=松动或有响声|sunken=下沉或凸起"},
    {"10901", "place", WG_ATTR_SINGLEVALUELIST, 0, "井盖在哪里？", "",
     "road=车行道|sidewalk=人行道|other=绿地或其他地方"},
    {"06028", "source", WG_ATTR_MULTIVALUELIST, 1, "噪声从哪里来？（可多选）", "",
     "construction=施工|shop=商铺或餐饮|square_dance=广场舞|vehicle=车辆鸣笛或改装车|"
     "neighbour=邻居|other=其他"},
    {"06028", "when", WG_ATTR_DATETIME, 1, "最近一次是什么时候？",
     "日期和时间，带时区，如 2026-01-15T23:30:00+08:00", NULL},
    {"2107", "size", WG_ATTR_NUMBER, 1, "破损处大约多大？（直径，米）", "一个数，如 0.5",
     NULL},
    {"2107", "detail", WG_ATTR_TEXT, 0, "补充说明：周边情况、对通行的影响等", "", NULL},
};
/* clang-format on */

static enum wg_rc add_attr_row(struct wg_catalog *cat, const struct attr_row *r, struct wg_err *err)
{
    struct wg_catalog_item *it = NULL;
    struct wg_catalog_attr *a;
    const char *p = r->values;
    enum wg_rc rc;
    for (size_t i = 0; i < cat->n && !it; i++)
        if (!strcmp(cat->items[i].code, r->item))
            it = &cat->items[i];
    if (!it)
        return wg_err_set(err, WG_EINTERNAL, "default attribute '%s': no item '%s'", r->code,
                          r->item);
    if ((rc = wg_catalog_attr_add(it, r->code, r->type, r->required, r->description,
                                  r->datatype_description, &a, err)))
        return rc;
    while (p && *p) {
        char key[WG_CATALOG_ATTR_TEXT_MAX + 1], name[WG_CATALOG_ATTR_TEXT_MAX + 1];
        size_t n = strcspn(p, "|"), k = strcspn(p, "=");
        if (k >= n || k > WG_CATALOG_ATTR_TEXT_MAX || n - k - 1 > WG_CATALOG_ATTR_TEXT_MAX)
            return wg_err_set(err, WG_EINTERNAL, "default attribute '%s': a bad value", r->code);
        memcpy(key, p, k);
        key[k] = '\0';
        memcpy(name, p + k + 1, n - k - 1);
        name[n - k - 1] = '\0';
        if ((rc = wg_catalog_value_add(a, key, name, err)))
            return rc;
        p += n + (p[n] == '|');
    }
    return WG_OK;
}

static enum wg_rc add_row(struct wg_catalog *cat, const struct row *r, struct wg_err *err)
{
    struct wg_catalog_item *it;
    enum wg_rc rc = wg_catalog_add(cat, r->code, r->parent, r->name, &it, err);
    const char *p = r->keywords;
    if (rc)
        return rc;
    it->limits = r->limits;
    it->self_handle = (r->flags & SELF) != 0;
    it->public_intake = (r->flags & PUB) != 0;
    it->urgency = (r->flags & CRIT)  ? WG_URGENCY_CRITICAL
                  : (r->flags & URG) ? WG_URGENCY_URGENT
                                     : WG_URGENCY_NORMAL;
    while (p && *p) {
        char kw[WG_CATALOG_KEYWORD_MAX + 1];
        size_t n = strcspn(p, "|");
        if (n > WG_CATALOG_KEYWORD_MAX)
            return wg_err_set(err, WG_EINTERNAL, "default item '%s': a keyword is too long",
                              r->code);
        memcpy(kw, p, n);
        kw[n] = '\0';
        if ((rc = wg_catalog_keyword_add(it, kw, err)))
            return rc;
        p += n + (p[n] == '|');
    }
    return WG_OK;
}

enum wg_rc wg_catalog_load_defaults(struct wg_catalog *cat, struct wg_err *err)
{
    enum wg_rc rc;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if ((rc = add_row(cat, &rows[i], err)))
            return rc;
    for (size_t i = 0; i < sizeof attr_rows / sizeof attr_rows[0]; i++)
        if ((rc = add_attr_row(cat, &attr_rows[i], err)))
            return rc;
    return wg_catalog_validate(cat, err);
}
