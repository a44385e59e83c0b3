/* Demo history's words: an appeal's title, content and address written the way residents'
 * appeals read — the catalog item and one of its keywords, the real town and village the
 * point fell in, a spot, a time and a detail of the item's domain, the request of the appeal's
 * type — and a fictitious reporter. Demo data only. */
#include "domain/orders/history.h"
#include "core/civil.h"
#include "core/rng.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *one(uint64_t *s, const char *const *v, size_t n)
{
    return v[wg_rng_next(s) % n];
}
#define ONE(s, a) one((s), (a), N(a))

/* Common surnames and given names (the most frequent in the 2020 census's lists). */
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
                                       "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕"};
static const char *const given[] = {"伟",   "芳",   "秀英", "敏", "静",   "丽",   "强",   "磊",
                                    "军",   "洋",   "勇",   "艳", "杰",   "娟",   "涛",   "明",
                                    "超",   "秀兰", "霞",   "平", "刚",   "桂英", "建国", "玉梅",
                                    "志强", "海燕", "文",   "华", "红梅", "建华", "国庆", "淑珍",
                                    "晓东", "春梅", "立新", "雪", "浩然", "子涵", "欣怡", "宇轩"};

void wg_history_reporter(uint64_t *s, char *name, size_t nsize, char *phone, size_t psize)
{
    const char *sur = ONE(s, surnames);
    if (wg_rng_uniform(s) < 0.3) /* callers often give only their surname */
        snprintf(name, nsize, "%s%s", sur, wg_rng_uniform(s) < 0.5 ? "先生" : "女士");
    else
        snprintf(name, nsize, "%s%s", sur, ONE(s, given));
    /* 154 is a mobile prefix the MIIT has assigned to no carrier: these numbers reach nobody */
    snprintf(phone, psize, "154%08llu", (unsigned long long)(wg_rng_next(s) % 100000000ull));
}

/* Where in the village: spots residents name. */
static const char *const spots[] = {
    "小区南门",       "小区东门口",   "3号楼北侧",  "菜市场附近", "幼儿园门前",     "公交站牌旁",
    "十字路口西南角", "沿街商铺门前", "村委会东侧", "文化广场",   "卫生室旁边",     "村东头",
    "学校后门",       "超市门口",     "桥头",       "健身广场",   "老年活动中心旁", "停车场入口"};

/* When, in the words of the appeal. */
static const char *const whens[] = {"近一周以来", "最近一个多月", "每天晚上九点以后",
                                    "这几天",     "今天上午",     "连续几天凌晨",
                                    "上周末开始", "入冬以来",     "每逢周末"};

/* A detail per top-level catalog domain, and ones that fit any. */
static const struct {
    const char *domain, *detail[3];
} details[] = {
    {"06", {"严重影响周边居民休息", "气味很大，夏天更严重", "已经好几天没人处理"}},
    {"07", {"影响市容市貌", "刚清理过又有人贴上", "位置显眼，过往行人都能看到"}},
    {"08", {"晚上十点以后还在施工", "尘土飞扬，车辆都是灰", "围挡破了，行人经过很危险"}},
    {"09", {"占用人行道，行人只能走机动车道", "高峰时段堵得走不动", "劝过几次也没有改"}},
    {"10", {"存在安全隐患，老人孩子经过很危险", "下雨天更明显", "已经有人因此受伤"}},
    {"21", {"多次向物业反映未果", "楼里住的多是老人，出行不便", "冬天取暖受影响"}},
    {"22", {"气味刺鼻，开不了窗", "河水发黑发臭", "附近居民意见很大"}},
    {"23", {"早晚高峰车辆排长队", "公交车经常不按时到站", "路面坑洼，车辆颠簸"}},
    {"24", {"孩子上学受到影响", "家长们都很着急", "学校一直没有明确答复"}},
    {"25", {"至今未拿到工资", "单位一直拖着不办", "家里老人看病等着用钱"}},
    {"26", {"商家拒不退款", "价格和标示不一致", "投诉商家后没有回音"}},
    {"27", {"排队时间太长", "老人就医很不方便", "收费标准不清楚"}},
    {"28", {"跑了好几趟没办成", "网上系统提交不了", "窗口工作人员说法不一致"}},
    {"29", {"土地被占用多年", "手续一直办不下来", "界址有争议"}},
    {"30", {"反映的问题一直没人调查", "群众意见比较大", "希望查清事实"}},
    {"31", {"企业经营受到影响", "补贴一直没有到位", "政策执行不一致"}},
    {"32", {"网络信号很差", "宽带经常断线", "维修人员迟迟不上门"}},
    {"33", {"老人生活困难", "补助申请一直没有结果", "家中无人照顾"}},
    {"34", {"耽误了农时", "庄稼受损严重", "农资价格不合理"}},
    {"35", {"邻里纠纷一直调解不了", "担心发生冲突", "已经报过警"}},
};
static const char *const any_detail[] = {"影响正常生活", "希望尽快解决", "周边群众反映强烈",
                                         "之前反映过一次，还没有解决"};

static const char *detail_of(uint64_t *s, const char *code)
{
    for (size_t i = 0; i < N(details); i++)
        if (!strncmp(code, details[i].domain, 2) && wg_rng_uniform(s) < 0.8)
            return details[i].detail[wg_rng_next(s) % 3];
    return ONE(s, any_detail);
}

/* How the appeal opens, by channel. */
static const char *opening(const char *channel)
{
    static const struct {
        const char *channel, *text;
    } v[] = {{"hotline", "市民来电反映："},  {"app", "群众通过手机APP反映："},
             {"web", "网民留言："},          {"gridworker", "网格员巡查发现："},
             {"window", "群众到窗口反映："}, {"mailbox", "群众来信反映："},
             {"video", "视频巡查发现："},    {"sensor", "物联感知设备报警："}};
    for (size_t i = 0; i < N(v); i++)
        if (!strcmp(channel, v[i].channel))
            return v[i].text;
    return "群众反映：";
}

/* The request, and three title forms by type: what comes before the place, between it and
 * the item, and after. */
struct title_form {
    const char *pre, *mid, *post;
};
static const struct {
    const char *type, *ask[2];
    struct title_form title[3];
} kinds[] = {
    {"complaint",
     {"请有关部门尽快核实处理。", "希望相关部门加强管理，尽快解决。"},
     {{"", "", ""}, {"投诉", "", ""}, {"", "", "问题长期未解决"}}},
    {"help",
     {"请求帮助协调解决。", "希望相关部门帮忙解决。"},
     {{"求助：", "", ""}, {"", "居民求助", ""}, {"", "", "求助"}}},
    {"consult",
     {"想了解具体办理流程和所需材料，请相关部门答复。", "请相关部门给予解答。"},
     {{"咨询", "", "相关事宜"}, {"", "", "如何办理"}, {"咨询：", "", ""}}},
    {"report",
     {"请相关部门依法查处。", "请核实后依法处理。"},
     {{"举报", "", ""}, {"", "存在", ""}, {"举报：", "", ""}}},
    {"suggestion",
     {"建议相关部门统筹考虑、加以改进。", "建议尽快研究解决。"},
     {{"关于", "", "的建议"}, {"建议治理", "", ""}, {"", "", "建议"}}},
    {"praise",
     {"特此表示感谢。", "对工作人员的耐心负责表示感谢。"},
     {{"感谢", "", "处理及时"}, {"表扬：", "", ""}, {"", "", "问题已解决，致谢"}}},
    {"wish",
     {"希望能尽快落实。", "希望相关部门予以考虑。"},
     {{"希望解决", "", ""}, {"心愿：", "", ""}, {"", "", "心愿"}}},
};

/* A village as residents name it: the division's "…村村民委员会" is "…村", "…社区居民委员会"
 * and "…居民委员会" are "…社区". */
static const char *spoken(const char *name, char *out, size_t size)
{
    static const struct {
        const char *suffix, *keep, *add;
    } cut[] = {{"村民委员会", "村", ""}, {"居民委员会", "社区", "社区"}};
    size_t n = strlen(name);
    for (size_t i = 0; i < N(cut); i++) {
        size_t k = strlen(cut[i].suffix), j = strlen(cut[i].keep);
        if (n > k && !strcmp(name + n - k, cut[i].suffix)) {
            n -= k;
            int ends = n >= j && !strncmp(name + n - j, cut[i].keep, j);
            snprintf(out, size, "%.*s%s", (int)n, name, ends ? "" : cut[i].add);
            return out;
        }
    }
    return name;
}

void wg_history_text(uint64_t *s, const struct wg_catalog_item *it, const char *channel,
                     const char *type, const char *town, const char *village_name, long long t,
                     struct wg_history_words *w)
{
    char vbuf[128];
    const char *village = spoken(village_name, vbuf, sizeof vbuf);
    size_t k = 0;
    while (k + 1 < N(kinds) && strcmp(kinds[k].type, type))
        k++;
    const char *kw = it->nkeywords ? it->keywords[wg_rng_next(s) % it->nkeywords] : it->name;
    const char *spot = ONE(s, spots);
    int y, m, d;
    wg_civil_date(wg_cst_day(t), &y, &m, &d);
    int hour = (int)((t + 8 * 3600) % 86400 / 3600);
    /* the title: a village and the item, in one of the type's forms */
    const struct title_form *f = &kinds[k].title[wg_rng_next(s) % 3];
    snprintf(w->title, sizeof w->title, "%s%s%s%s%s", f->pre,
             wg_rng_uniform(s) < 0.5 ? village : town, f->mid, it->name, f->post);
    snprintf(w->address, sizeof w->address, "临沂市兰山区%s%s%s", town, village, spot);
    const char *when = ONE(s, whens);
    const char *ask = kinds[k].ask[wg_rng_next(s) % 2];
    const char *detail = detail_of(s, it->code);
    switch (wg_rng_next(s) % 3) {
    case 0:
        snprintf(w->content, sizeof w->content, "%s%s%s%s%s存在%s问题，%s。%s", opening(channel),
                 when, town, village, spot, it->name, detail, ask);
        break;
    case 1:
        snprintf(w->content, sizeof w->content, "%s%d月%d日%d时许，%s%s%s出现%s情况，%s。%s",
                 opening(channel), m, d, hour, town, village, spot, kw, detail, ask);
        break;
    default:
        snprintf(w->content, sizeof w->content, "%s%s%s一带%s%s现象比较突出，%s。%s",
                 opening(channel), village, spot, when, kw, detail, ask);
        break;
    }
}
