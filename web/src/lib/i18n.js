// The console's words, Chinese by default, English on request: one small table. API field
// names and values stay English in requests; only what people read is translated. The
// machinery is shared with the residents' portal (lang.js).
import { fmtTime, i18n, setLang, translator } from './lang'

export { fmtTime, i18n, setLang }

const T = {
  app: ['网格 · 运行控制台', 'wangge · operations console'],
  'app.short': ['网格', 'wangge'],
  'nav.intake': ['受理', 'Intake'],
  'nav.dispatch': ['派单台', 'Dispatch desk'],
  'nav.orders': ['工单查询', 'Orders'],
  'nav.inbox': ['承办收件箱', 'Unit inbox'],
  'nav.mobile': ['网格员', 'Grid worker'],
  'nav.callback': ['回访', 'Callbacks'],
  'nav.dashboard': ['一屏观全域', 'Dashboard'],
  'nav.grids': ['网格地图', 'Grid map'],
  'nav.reports': ['报表', 'Reports'],
  'nav.admin': ['系统管理', 'Administration'],
  'nav.audit': ['审计日志', 'Audit log'],
  'nav.account': ['我的账号', 'My account'],
  logout: ['退出', 'Log out'],
  login: ['登录', 'Log in'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  'login.title': ['网格化基层社会治理平台', 'Grid-based grassroots governance'],
  'pw.title': ['首次登录请修改密码', 'Change your password before you go on'],
  'pw.change': ['修改密码', 'Change password'],
  'pw.old': ['原密码', 'Current password'],
  'pw.new': ['新密码', 'New password'],
  'pw.again': ['再次输入新密码', 'New password again'],
  'pw.rule': ['至少 8 位，包含大写字母、小写字母、数字、符号中的三类，且不同于原密码', 'At least 8 characters of 3 of: upper case, lower case, digits, symbols; different from the current one'],
  'pw.mismatch': ['两次输入的新密码不一致', 'The two new passwords differ'],
  'pw.done': ['密码已修改', 'Password changed'],
  save: ['保存', 'Save'],
  submit: ['提交', 'Submit'],
  cancel: ['取消', 'Cancel'],
  search: ['查询', 'Search'],
  reset: ['重置', 'Reset'],
  refresh: ['刷新', 'Refresh'],
  open: ['打开', 'Open'],
  add: ['新增', 'Add'],
  none: ['无', 'none'],
  loading: ['加载中…', 'Loading…'],
  'err.failed': ['{n} 项请求失败：', '{n} requests failed: '],
  done: ['已完成', 'Done'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  all: ['全部', 'all'],
  total: ['合计', 'Total'],
  export_csv: ['导出 CSV', 'Export CSV'],
  export_xlsx: ['导出 Excel', 'Export XLSX'],
  // orders
  'o.number': ['工单编号', 'Number'],
  'o.title': ['标题', 'Title'],
  'o.content': ['诉求内容', 'Content'],
  'o.state': ['状态', 'State'],
  'o.channel': ['渠道', 'Channel'],
  'o.type': ['类型', 'Type'],
  'o.item': ['事项', 'Item'],
  'o.grid': ['网格', 'Grid'],
  'o.unit': ['承办单位', 'Unit'],
  'o.urgency': ['紧急程度', 'Urgency'],
  'o.created': ['受理时间', 'Received at'],
  'o.light': ['灯', 'Light'],
  'o.address': ['地址', 'Address'],
  'o.reporter': ['诉求人', 'Reporter'],
  'o.reporter_name': ['姓名', 'Name'],
  'o.phone': ['电话', 'Phone'],
  'o.anonymous': ['匿名', 'Anonymous'],
  'o.confidential': ['保密件', 'Confidential'],
  'o.deadline_sign': ['签收时限', 'Sign by'],
  'o.deadline_reply': ['办结时限', 'Reply by'],
  'o.timeline': ['办理过程', 'Timeline'],
  'o.photos': ['照片', 'Photos'],
  'o.actions': ['可执行操作', 'Actions'],
  'o.no_actions': ['当前无可执行的操作', 'Nothing you can do on this order now'],
  'o.map': ['位置', 'Location'],
  'o.detail': ['工单详情', 'Order'],
  'o.created_ok': ['工单已受理：', 'Order received: '],
  'o.master': ['主工单', 'Master order'],
  'o.merged': ['已并入的工单', 'Merged into it'],
  'o.count': ['共 {n} 条', '{n} orders'],
  // intake
  'in.caller': ['来电人', 'Caller'],
  'in.lookup': ['查询历史诉求', 'Earlier appeals'],
  'in.history': ['该号码的历史诉求', 'Earlier appeals from this number'],
  'in.no_history': ['该号码没有历史诉求', 'No earlier appeals from this number'],
  'in.location': ['位置', 'Location'],
  'in.pick': ['在地图上点选位置', 'Click the map to place the appeal'],
  'in.located': ['所在网格', 'Grid'],
  'in.not_located': ['该点不在任何网格内', 'That point is in no grid'],
  'in.suggest': ['派单建议', 'Routing suggestion'],
  'in.dupes': ['可能重复的诉求', 'Possible duplicates'],
  'in.no_dupes': ['没有可能重复的诉求', 'No possible duplicates'],
  // duplicate candidates found by the server at intake (every channel)
  'dup.title': ['可能重复的诉求', 'Possible duplicates'],
  'dup.none': ['没有可能重复的诉求', 'No possible duplicates'],
  'dup.col': ['可能重复', 'Duplicates'],
  'dup.item_near': ['同类事项相距{m}米', 'same item {m} m away'],
  'dup.same_phone': ['同一来电号码', 'same caller'],
  'dup.similar_text': ['内容相似{s}%', 'text {s}% alike'],
  'dup.s_item_near': ['同类{m}米', 'item {m} m'],
  'dup.s_same_phone': ['同号码', 'same caller'],
  'dup.s_similar_text': ['相似{s}%', '{s}% alike'],
  'dup.merge': ['并入该单', 'Merge into it'],
  'dup.merged': ['已并入 {n}', 'Merged into {n}'],
  'in.item_hint': ['选择或搜索事项', 'Choose or search an item'],
  'in.create': ['受理', 'Take in'],
  'in.dispatch_now': ['受理并派单', 'Take in and dispatch'],
  'in.lonlat': ['经纬度', 'Lon, lat'],
  // the address search at intake (GET /api/v1/addresses)
  'in.addr_search': ['地址搜索', 'Find an address'],
  'in.addr_hint': ['输入标准地址、楼栋、社区或街道名称', 'Type a standard address, a building, a community or a town'],
  'in.addr_none': ['没有找到匹配的地址', 'No address matches'],
  'in.addr_no_point': ['该地点没有坐标，请在地图上点选', 'That place has no point: click the map'],
  'addr.kind.town': ['街道', 'Town'],
  'addr.kind.village': ['社区/村', 'Community'],
  'addr.kind.building': ['楼栋', 'Building'],
  'addr.kind.house': ['房屋', 'House'],
  // a grid's team (网格队伍, components/GridTeam.vue)
  'team.title': ['网格队伍', 'Grid team'],
  'team.none': ['该网格尚未登记队伍', 'No team recorded for this grid'],
  'team.edit': ['编辑队伍', 'Edit team'],
  'team.add': ['添加成员', 'Add member'],
  'team.remove': ['移除', 'Remove'],
  'team.role': ['角色', 'Role'],
  'team.name': ['姓名', 'Name'],
  'team.work_phone': ['工作电话', 'Work phone'],
  'team.detail': ['分工 / 单位 / 楼栋', 'Duty / unit / building'],
  'team.term': ['任职期间', 'Term'],
  'team.past': ['已离任', 'left'],
  'team.duty': ['分工', 'Duty'],
  'team.home_unit': ['派出单位', 'Home unit'],
  'team.building': ['楼栋编码', 'Building code'],
  'team.unit': ['单元', 'Unit'],
  'team.username': ['系统账号', 'Account'],
  'team.since': ['起始日期', 'Since'],
  'team.until': ['截止日期', 'Until'],
  'team.duties': ['五公开：工作职责与服务承诺', 'Published: duties and commitment'],
  'team.responsibilities': ['网格队伍工作职责', 'What the team does'],
  'team.commitment': ['服务承诺', 'Service commitment'],
  'team.supervision_phone': ['监督电话', 'Supervision phone'],
  'team.service': ['便民服务（如社区医生）', 'Service (e.g. clinic)'],
  'team.add_service': ['添加便民服务电话', 'Add a service phone'],
  'team.station': ['派出所', 'Police station'],
  'team.station_name': ['派出所名称', 'Station name'],
  'team.saved': ['网格队伍已保存', 'Team saved'],
  'team.bad_member': ['第 {n} 位成员的「{field}」有误：', 'Member {n}, {field}:'],
  // a grid's buildings and houses (the registry, components/GridRegistry.vue)
  'reg.buildings': ['楼栋', 'Buildings'],
  'reg.no_buildings': ['该网格尚未登记楼栋', 'No buildings recorded in this grid'],
  'reg.houses': ['房屋', 'Houses'],
  'reg.no_houses': ['该楼栋尚未登记房屋', 'No houses recorded in this building'],
  'reg.name': ['名称', 'Name'],
  'reg.address': ['标准地址', 'Standard address'],
  'reg.floors': ['层数', 'Floors'],
  'reg.use': ['用途', 'Use'],
  'reg.more': ['更多', 'More'],
  'reg.unit': ['单元', 'Unit'],
  'reg.floor': ['楼层', 'Floor'],
  'reg.room': ['房号', 'Room'],
  'reg.use.residential': ['住宅', 'Residential'],
  'reg.use.commercial': ['商业', 'Commercial'],
  'reg.use.mixed': ['商住混合', 'Mixed'],
  'reg.use.office': ['办公', 'Office'],
  'reg.use.industrial': ['工业', 'Industrial'],
  'reg.use.public': ['公共设施', 'Public'],
  'reg.house_use.owner_occupied': ['自住', 'Owner-occupied'],
  'reg.house_use.rented': ['出租', 'Rented'],
  'reg.house_use.empty': ['空置', 'Empty'],
  'reg.house_use.business': ['经营', 'Business'],
  // dispatch desk
  'd.queue': ['待派单与退单申请', 'To dispatch and returns'],
  'd.bulk': ['批量派单', 'Dispatch selected'],
  'd.to_unit': ['派往单位', 'To unit'],
  'd.selected': ['已选 {n} 件', '{n} selected'],
  'd.dispatched': ['已派 {n} 件', '{n} dispatched'],
  'd.failed': ['{n} 件失败', '{n} failed'],
  // inbox
  'ib.todo': ['待签收', 'To sign'],
  'ib.doing': ['办理中', 'In hand'],
  'ib.returning': ['退单中', 'Returning'],
  'ib.all': ['全部', 'All'],
  // mobile
  'm.mine': ['我的网格工单', "My grid's orders"],
  'm.report': ['上报问题', 'Report a problem'],
  'm.gps': ['获取定位', 'Use my location'],
  'm.photo': ['拍照/选择照片', 'Take or choose a photo'],
  'm.reported': ['已上报：', 'Reported: '],
  'm.no_gps': ['无法获取定位', 'No location available'],
  // callback
  'cb.queue': ['待回访', 'To call back'],
  'cb.reached': ['联系上诉求人', 'Reached the resident'],
  'cb.satisfaction': ['满意度', 'Satisfaction'],
  'cb.resolved': ['问题已解决', 'Resolved'],
  // dashboard
  'db.title': ['一屏观全域', 'The whole district on one screen'],
  'db.period': ['时段', 'Period'],
  'db.colour': ['着色', 'Colour by'],
  'db.trend': ['趋势', 'Trend'],
  'db.top': ['高频事项', 'Top items'],
  'db.units': ['承办单位排名', 'Unit ranking'],
  'db.monthly': ['每月一题', 'Problem of the month'],
  'db.up': ['返回上级', 'Up one level'],
  'db.unavailable': ['指标服务暂不可用：', 'The indicators are not available: '],
  'db.rank': ['名次', 'Rank'],
  'db.grade': ['等级', 'Grade'],
  'db.composite': ['综合得分', 'Composite'],
  'db.share': ['占比', 'Share'],
  'db.received': ['受理量', 'Received'],
  'db.days': ['{n} 天', '{n} days'],
  // indicators
  'k.received': ['受理量', 'Received'],
  'k.dispatched': ['派单量', 'Dispatched'],
  'k.direct_answered': ['直接答复', 'Answered directly'],
  'k.direct_rate': ['直办率', 'Direct answer rate'],
  'k.signed_on_time_rate': ['及时签收率', 'Signed on time'],
  'k.due': ['应办结数', 'Due'],
  'k.finished': ['办结数', 'Finished'],
  'k.finish_rate': ['办结率', 'Finish rate'],
  'k.finished_on_time_rate': ['按期办结率', 'Finished on time'],
  'k.called_back_rate': ['回访率', 'Callback rate'],
  'k.satisfaction_rate': ['满意率', 'Satisfaction'],
  'k.resolution_rate': ['解决率', 'Resolution'],
  'k.reopen_rate': ['重办率', 'Reopen rate'],
  'k.return_rate': ['退单率', 'Return rate'],
  'k.rework_rate': ['返工率', 'Rework rate'],
  'k.repeat_rate': ['重复诉求率', 'Repeat rate'],
  'k.overdue': ['超期数', 'Overdue'],
  'k.avg_handling_hours': ['平均办理时长(工时)', 'Avg handling (working h)'],
  'k.response_rate': ['响应率', 'Response rate'],
  'k.composite': ['综合得分', 'Composite'],
  'k.grade': ['等级', 'Grade'],
  'k.open': ['在办量', 'Open'],
  // grids
  'g.tree': ['区划与网格', 'Regions and grids'],
  'g.workers': ['网格员', 'Workers'],
  'g.figures': ['指标', 'Figures'],
  'g.households': ['户数', 'Households'],
  'g.population': ['人口', 'Population'],
  'g.kind': ['类型', 'Kind'],
  'g.code': ['编码', 'Code'],
  'g.name': ['名称', 'Name'],
  'g.orders': ['工单', 'Orders'],
  // reports
  'r.daily': ['日报', 'Daily'],
  'r.weekly': ['周报', 'Weekly'],
  'r.monthly': ['月报', 'Monthly'],
  'r.period': ['期间', 'Period'],
  'r.by_child': ['分区域', 'By area'],
  'r.by_unit': ['分单位', 'By unit'],
  'r.by_item': ['分事项', 'By item'],
  // admin
  'a.users': ['账号', 'Accounts'],
  'a.units': ['承办单位', 'Units'],
  'a.catalog': ['派单目录', 'Catalog'],
  'a.rules': ['派单规则', 'Routing rules'],
  'a.calendar': ['工作日历', 'Calendar'],
  'a.apikeys': ['接口密钥', 'API keys'],
  'a.role': ['角色', 'Role'],
  'a.scope': ['范围', 'Scope'],
  'a.new_password': ['初始密码（只显示一次）', 'Initial password (shown once)'],
  'a.unit_id': ['单位编码', 'Unit id'],
  'a.unit_name': ['单位名称', 'Unit name'],
  'a.unit_kind': ['单位类型', 'Kind'],
  'a.regions': ['负责区域', 'Regions'],
  'a.rule_item': ['事项（前缀）', 'Item (prefix)'],
  'a.rule_region': ['区域（前缀）', 'Region (prefix)'],
  'a.lead': ['主办单位', 'Lead unit'],
  'a.assisting': ['协办单位', 'Assisting units'],
  'a.calendar_note': ['国务院办公厅每年公布的节假日和调休由服务器加载（wangge calendar load）；默认工作时间 08:30–12:00、13:30–17:30。「休」为工作日放假，「班」为周末调休上班。', "The State Council's holidays and make-up days are loaded on the server (wangge calendar load); default hours 08:30–12:00 and 13:30–17:30. 'rest' marks a weekday off, 'work' a weekend working day."],
  'a.cal_loaded': ['已加载本年节假日表', "This year's table is loaded"],
  'a.cal_missing': ['本年节假日表未加载（按周一至周五计算）', "No table for this year (Monday–Friday rule)"],
  'a.day_minutes': ['每日工作分钟', 'Working minutes a day'],
  'a.rest': ['休', 'rest'],
  'a.work': ['班', 'work'],
  'a.reveal': ['查看明文', 'Reveal'],
  'a.reason': ['原因', 'Reason'],
  'a.key_once': ['密钥只显示这一次：', 'The key is shown this once: '],
  'a.limits': ['时限(工作分钟)', 'Limits (working minutes)'],
  'a.self_handle': ['可自处置', 'Self-handling'],
  'a.keywords': ['关键词', 'Keywords'],
  'a.parent': ['上级编码', 'Parent code'],
  'a.public_intake': ['公众可报', 'Public intake'],
  'a.reply_minutes': ['办结时限(工作分钟)', 'Reply limit (working minutes)'],
  'a.versions': ['历史版本', 'Versions'],
  'a.catalog_version': ['目录版本', 'Catalog version'],
  'a.locked': ['已锁定', 'locked'],
  'a.revoked': ['已吊销', 'revoked'],
  'a.key_id': ['密钥编号', 'Key id'],
  'a.permissions': ['权限', 'Permissions'],
  'o.assisting': ['协办单位', 'Assisting units'],
  'o.lines': ['专线', 'Special lines'],
  'a.catalog_readonly': ['目录当前为只读（服务器发布的目录）。', 'The catalog is read-only here (the server\'s catalog).'],
  // audit
  'au.actor': ['操作人', 'Actor'],
  'au.action': ['操作', 'Action'],
  'au.object': ['对象', 'Object'],
  'au.result': ['结果', 'Result'],
  'au.at': ['时间', 'Time'],
  'au.source': ['来源', 'Source'],
  // account
  'acc.role': ['角色', 'Role'],
  'acc.scope': ['范围', 'Scope'],
  'acc.nothing': ['本角色在控制台中只有账号页。', 'This role has only the account page in the console.'],
  // action fields
  'f.note': ['说明', 'Note'],
  'f.reason': ['原因', 'Reason'],
  'f.result': ['办理结果', 'Result'],
  'f.answer': ['答复内容', 'Answer'],
  'f.days': ['天数(工作日)', 'Working days'],
  'f.passed': ['核查通过', 'Passed'],
  'f.level': ['督办级别', 'Level'],
  'f.into': ['并入工单号(ID)', 'Into order (id)'],
  'f.line': ['专线', 'Line'],
  'f.instruction': ['批示内容', 'Instruction'],
  'f.unit': ['承办单位', 'Unit'],
  'f.photos': ['附照片', 'Photos'],
  'act.ok': ['操作成功', 'Done'],
  'light.none': ['—', '—'],
  // notifications, the 督办 list, the callback's wait (issue 18 items 3 and 9)
  'nav.notices': ['消息通知', 'Notifications'],
  'nav.supervised': ['督办件', 'Supervised'],
  'n.unread': ['未读', 'Unread'],
  'n.unread_count': ['{n} 条未读', '{n} unread'],
  'n.mark_read': ['标为已读', 'Mark read'],
  'n.mark_all': ['全部标为已读', 'Mark all read'],
  'n.none': ['暂无消息', 'No notifications'],
  'n.none_unread': ['没有未读消息', 'Nothing unread'],
  'n.more': ['加载更多', 'More'],
  'n.by': ['操作人', 'by'],
  'sv.badge': ['督办', 'Supervised'],
  'cb.deadline': ['回访时限', 'Call back by'],
  'cb.waited': ['已等待', 'Waiting'],
  'cb.overdue': ['已超时', 'overdue'],
  'dur.dh': ['{d}天{h}小时', '{d} d {h} h'],
  'dur.hm': ['{h}小时{m}分', '{h} h {m} min'],
  'dur.m': ['{m}分钟', '{m} min'],
  // desks: paging, totals, deadlines and the working time left (issue 18, items 5 and 6)
  'desk.page': ['第 {n} 页', 'Page {n}'],
  'desk.total': ['共 {n} 件', '{n} in all'],
  'desk.at_least': ['{n}+', '{n}+'],
  'desk.sort': ['排序', 'Sort'],
  'o.deadline': ['时限', 'Deadline'],
  'o.remaining': ['剩余/超期', 'Time left'],
  'rem.left': ['剩 {v}', '{v} left'],
  'rem.overdue': ['超期 {v}', '{v} overdue'],
  'rem.due_now': ['即将到期', 'Due now'],
  'rem.wday': ['个工作日', 'working days'],
  'rem.day': ['天', 'days'],
  'rem.hour': ['小时', 'hours'],
  'rem.minute': ['分钟', 'minutes'],
  // Chinese first (issue 18 item 8): routing reasons, timeline details, errors, scopes
  'rt.because': ['派单规则 #{rule}：{item}，{place} → {unit}', 'Rule #{rule}: {item} in {place} → {unit}'],
  'rt.none': ['没有匹配的派单规则（{item}，{place}），请人工派单', 'No rule matches ({item} in {place}): dispatch by hand'],
  'rt.any_item': ['任意事项', 'any item'],
  'rt.any_place': ['任意地区', 'any place'],
  'rt.no_place': ['未定位', 'no place'],
  'dk.passed': ['核查通过', 'Passed'],
  'dk.reached': ['联系上诉求人', 'Reached'],
  'dk.resolved': ['问题已解决', 'Resolved'],
  'dk.automatic': ['系统自动督办', 'Automatic'],
  'dk.anonymous': ['匿名', 'Anonymous'],
  'dk.confidential': ['保密件', 'Confidential'],
  'dk.days': ['{n} 个工作日', '{n} working days'],
  'dk.into': ['并入工单 {n}', 'Into order {n}'],
  'dk.past_reply_deadline': ['已超过办结时限', 'past the reply deadline'],
  'actor.system': ['系统', 'system'],
  'err.detail': ['详情', 'Details'],
  'err.field': ['「{field}」{what}', '{field}: {what}'],
  'err.wrong_login': ['用户名或密码错误', 'Wrong username or password'],
  'scope.pick': ['选择区域、网格或承办单位', 'Choose a region, grid or unit'],
  'scope.all': ['全部区域', 'Everywhere'],
  'scope.regions': ['区域与网格', 'Regions and grids'],
  'scope.units': ['承办单位', 'Units'],
  'wall.enter': ['大屏模式', 'Wall screen'],
  'wall.leave': ['退出大屏', 'Leave wall screen'],
  'wall.updated': ['更新于 {t}', 'Updated {t}'],
  'au.since': ['起始日期', 'From'],
  'au.cli': ['命令行', 'command line'],
  'au.until': ['截止日期', 'Until'],
  // calling the resident (issue 18): revealing the reporter's phone, the unit's contact
  'rv.reveal': ['查看号码', 'Reveal phone'],
  'rv.why': ['请说明查看号码的原因（将记入审计日志）', 'Why do you need the number? (recorded in the audit log)'],
  'rv.why_rule': ['请填写原因（至少 2 个汉字或 4 个字母）', 'Give a reason (at least 4 letters)'],
  'rv.requested': ['已请求隐私号外呼，稍后来电接通诉求人', 'Call requested: the call service rings you and connects the reporter'],
  'ct.deadline': ['联系时限', 'Contact by'],
  'ct.first': ['首次联系', 'First contact'],
  'ct.none': ['尚未联系', 'not yet'],
  'ct.means': ['联系方式', 'Means'],
  'ct.reached': ['已联系上', 'reached'],
  'ct.unreached': ['未联系上', 'not reached'],
  'ct.on_time': ['按时', 'in time'],
  'ct.late': ['超时', 'late'],
  'ct.at': ['联系时间', 'at'],
  // the registry's people (实有人口, issue 19 item 2)
  'nav.registry': ['实有人口', 'Residents'],
  'rg.grid': ['网格编码', 'Grid code'],
  'rg.care': ['关爱类别', 'Care group'],
  'rg.name': ['姓名', 'Name'],
  'rg.id_number': ['证件号码', 'ID number'],
  'rg.gender': ['性别', 'Gender'],
  'rg.birth': ['出生', 'Born'],
  'rg.phone': ['电话', 'Phone'],
  'rg.residence': ['类型', 'Residence'],
  'rg.masked': ['个人信息已脱敏显示；查看明文须说明理由，并记入审计日志。', 'Personal data is masked; a clear value is shown only with a stated reason, recorded in the audit log.'],
  // imports and exports of the registry (issue 19 item 8, components/RegistryImport.vue)
  'im.open': ['导入/导出', 'Import / export'],
  'im.title': ['导入登记数据', 'Import registry data'],
  'im.persons': ['实有人口', 'Persons'],
  'im.households': ['户', 'Households'],
  'im.buildings': ['建筑', 'Buildings'],
  'im.houses': ['房屋', 'Houses'],
  'im.upload': ['上传并导入', 'Upload and import'],
  'im.export': ['导出 CSV（脱敏）', 'Export CSV (masked)'],
  'im.hint': ['CSV 或 XLSX 文件，第一行为列名（中文或英文，见 API 文档）。任何一行有误则整份文件不入库；重复导入同一文件不会产生变化。', 'A CSV or XLSX file whose first row names the columns (in Chinese or English, see the API documentation). A file with any bad row stores nothing; importing the same file again changes nothing.'],
  'im.stored': ['已全部入库', 'Everything is stored'],
  'im.nothing': ['有错误行，未入库任何数据', 'Some rows are wrong: nothing is stored'],
  'im.rows': ['行数', 'rows'],
  'im.created': ['新增', 'created'],
  'im.updated': ['更新', 'updated'],
  'im.unchanged': ['未变', 'unchanged'],
  'im.refused': ['错误', 'refused'],
  'im.row': ['行号', 'Row'],
  'im.field': ['字段', 'Field'],
  'im.message': ['原因', 'Reason']
}

const ENUMS = {
  // the registry's people (issue 19 item 2)
  care: {
    alone: ['独居老人', 'living alone'], empty_nest: ['空巢老人', 'empty-nest'], over80: ['高龄老人', 'over 80'],
    left_behind_child: ['留守儿童', 'left-behind child'], left_behind_elderly: ['留守老人', 'left-behind elderly'],
    disabled: ['残疾人', 'disabled'], hardship: ['困难家庭', 'hardship family']
  },
  residence: { registered: ['户籍', 'registered'], floating: ['流动', 'floating'], overseas: ['境外', 'overseas'] },
  gender: { male: ['男', 'male'], female: ['女', 'female'] },
  state: {
    received: ['已受理', 'received'], dispatched: ['已派单', 'dispatched'], signed: ['已签收', 'signed'],
    replied: ['已答复', 'replied'], verified: ['已核查', 'verified'], closed: ['已办结', 'closed'],
    returning: ['退单申请中', 'returning'], suspended: ['挂起', 'suspended'], merged: ['已并单', 'merged'],
    invalid: ['无效件', 'invalid']
  },
  action: {
    contact: ['联系诉求人', 'contact the reporter'],
    create: ['受理', 'create'], dispatch: ['派单', 'dispatch'], sign: ['签收', 'sign'], return: ['退单', 'return'],
    approve_return: ['同意退单', 'approve return'], reject_return: ['驳回退单', 'reject return'],
    extend: ['申请延期', 'ask for extension'], approve_extension: ['批准延期', 'approve extension'],
    reject_extension: ['驳回延期', 'reject extension'], suspend: ['挂起', 'suspend'], resume: ['恢复', 'resume'],
    answer: ['直接答复', 'answer directly'], self_handle: ['自处置', 'self-handle'], reply: ['答复', 'reply'],
    verify: ['核查', 'verify'], callback: ['回访', 'call back'], reopen: ['重办', 'reopen'], merge: ['并单', 'merge'],
    invalidate: ['作废', 'invalidate'], supervise: ['督办', 'supervise'], urge: ['催办', 'urge'],
    instruct: ['批示', 'instruct'], note: ['备注', 'note'], route_line: ['转专线', 'route to a line'],
    photo: ['照片', 'photo'], attachment: ['附件', 'attachment'], assist_sign: ['协办签收', 'assisting unit signed'],
    assist_reply: ['协办答复', 'assisting unit replied']
  },
  channel: {
    hotline: ['12345热线', 'hotline'], web: ['网站', 'web'], app: ['App/小程序', 'app'], gridworker: ['网格员上报', 'grid worker'],
    window: ['服务窗口', 'window'], mailbox: ['领导信箱', 'mailbox'], video: ['视频预警', 'video'], sensor: ['物联感知', 'sensor'],
    open311: ['Open311', 'Open311'], transfer: ['平台转办', 'transfer']
  },
  type: {
    consult: ['咨询', 'consult'], help: ['求助', 'help'], complaint: ['投诉', 'complaint'], report: ['举报', 'report'],
    suggestion: ['建议', 'suggestion'], praise: ['表扬', 'praise'], wish: ['心愿', 'wish']
  },
  urgency: { normal: ['一般', 'normal'], urgent: ['紧急', 'urgent'], critical: ['特急', 'critical'] },
  light: { green: ['绿灯', 'green'], yellow: ['黄灯', 'yellow'], red: ['红灯', 'red'] },
  sort: { deadline: ['按时限', 'by deadline'], urgency: ['按紧急程度', 'by urgency'], newest: ['最新在前', 'newest first'], age: ['最早在前', 'oldest first'] },
  satisfaction: { satisfied: ['满意', 'satisfied'], basically_satisfied: ['基本满意', 'basically satisfied'], unsatisfied: ['不满意', 'unsatisfied'] },
  level: { normal: ['一般督办', 'normal'], yellow: ['黄牌督办', 'yellow card'], red: ['红牌督办', 'red card'] },
  nkind: {
    in_grid: ['网格内新诉求', 'New appeal in your grid'],
    dispatch: ['新派单', 'New dispatch'],
    assist: ['协办任务', 'Assisting task'],
    urge: ['催办', 'Urged'],
    supervise: ['督办', 'Supervised'],
    return: ['退单申请', 'Return requested'],
    extend: ['延期申请', 'Extension requested'],
    red_light: ['红灯预警', 'Red light']
  },
  line: { special_team: ['专班', 'special team'], judicial: ['诉调对接', 'judicial'], joint_conference: ['联席会议', 'joint conference'], assistance: ['帮扶救助', 'assistance'] },
  role: {
    sysadmin: ['系统管理员', 'system admin'], secadmin: ['安全管理员', 'security admin'], auditor: ['审计管理员', 'auditor'],
    agent: ['坐席员', 'agent'], supervisor: ['督办员', 'supervisor'], handler: ['承办人员', 'handler'],
    gridworker: ['网格员', 'grid worker'], community: ['社区工作人员', 'community staff'], mediator: ['调解员', 'mediator'],
    leader: ['领导', 'leader'], resident: ['群众', 'resident']
  },
  // the grid team's roles (domain/registry/team.h)
  team_role: {
    head: ['网格长', 'grid head'], full_time: ['专职网格员', 'full-time grid worker'],
    part_time: ['兼职网格员', 'part-time grid worker'], micro: ['微网格员', 'micro-grid member'],
    building_head: ['楼栋长', 'building head'], unit_head: ['单元长', 'unit head'],
    street_head: ['街长/路长', 'street head'], police: ['社区民警', 'community police'],
    party_guide: ['党建指导员', 'party guide'], lawyer: ['法律顾问', 'legal adviser'],
    mediator: ['调解员', 'mediator'], volunteer: ['志愿者', 'volunteer']
  },
  unitkind: { department: ['职能部门', 'department'], town_office: ['镇街', 'town office'], community_office: ['村居', 'community office'], special_team: ['专班', 'special team'] },
  perm: { open311: ['Open311 接入', 'Open311 intake'], alert_ingest: ['告警接入', 'alert intake'], map_read: ['地图读取', 'map reading'], metrics: ['监控指标', 'metrics'] },
  kind: { base: ['基础网格', 'base'], exclusive: ['专属网格', 'exclusive'], micro: ['微网格', 'micro'] },
  level_region: { province: ['省', 'province'], city: ['市', 'city'], county: ['县区', 'county'], town: ['镇街', 'town'], village: ['村居', 'village'], grid: ['网格', 'grid'] },
  means: { phone: ['电话', 'phone'], visit: ['上门', 'visit'], sms: ['短信', 'SMS'], other: ['其他', 'other'] },
  // Chinese first (issue 18 item 8): API error codes (also the audit log's results), the
  // audit log's actions and objects
  error: {
    ok: ['成功', 'ok'], invalid: ['输入有误，请检查后重试', 'Invalid input'], not_found: ['未找到或无权查看', 'Not found'],
    conflict: ['与当前状态冲突，请刷新后重试', 'Conflicts with the current state'], forbidden: ['无权执行此操作', 'Not allowed'],
    unauthorized: ['未登录或登录已失效', 'Not logged in'], too_large: ['内容过大', 'Too large'],
    precondition_failed: ['数据已被他人修改，请刷新后重试', 'Changed by someone else; reload'],
    rate_limited: ['请求过于频繁，请稍后再试', 'Too many requests; try again later'], store_error: ['数据存储出错', 'Storage error'],
    io_error: ['读写出错', 'I/O error'], internal: ['服务器内部错误', 'Internal error'], unavailable: ['服务暂不可用', 'Unavailable'],
    network: ['无法连接服务器', 'The server cannot be reached'], denied: ['被拒绝', 'denied']
  },
  audit: {
    'session.login': ['登录', 'log in'], 'session.login_failed': ['登录失败', 'failed login'], 'session.logout': ['退出登录', 'log out'],
    'account.password_change': ['修改密码', 'change password'], 'user.create': ['新建账号', 'create account'],
    'user.password_reset': ['重置密码', 'reset password'], 'unit.create': ['新建承办单位', 'create unit'],
    'route_rule.create': ['新建派单规则', 'create routing rule'], 'apikey.create': ['新建接口密钥', 'create API key'],
    'apikey.revoke': ['吊销接口密钥', 'revoke API key'], 'catalog.put_item': ['修改派单目录', 'change catalog item'],
    'catalog.delete_item': ['删除目录事项', 'delete catalog item'], 'calendar.load': ['加载工作日历', 'load calendar'],
    'grid.import': ['导入网格', 'import grids'], 'region.import': ['导入区划', 'import regions'], 'key.rotate': ['轮换密钥', 'rotate keys'],
    'pii.reveal': ['查看个人信息明文', 'reveal personal data'], 'order.create': ['受理工单', 'take in order'],
    'order.photo': ['上传照片', 'add photo'], 'order.action_refused': ['工单操作被拒绝', 'order action refused'],
    'portal.appeal': ['群众提交诉求', 'resident appeal'], 'portal.photo': ['群众上传照片', 'resident photo'],
    'portal.rating': ['群众评价', 'resident rating'], 'store.copy': ['备份数据', 'copy store'], 'store.restore': ['恢复数据', 'restore store'],
    'person.create': ['登记人口', 'record person'], 'person.update': ['修改人口信息', 'change person'],
    'household.create': ['登记户', 'record household'], 'household.update': ['修改户信息', 'change household'],
    'registry.grant': ['授予敏感人群查看权限', 'grant registry_sensitive'], 'registry.revoke': ['收回敏感人群查看权限', 'revoke registry_sensitive'],
    'building.create': ['登记楼栋', 'record building'], 'building.update': ['修改楼栋信息', 'change building'],
    'house.create': ['登记房屋', 'record house'], 'house.update': ['修改房屋信息', 'change house'],
    'team.update': ['修改网格队伍', 'change grid team']
  },
  // the API's fields, as its error messages name them ('title' is required)
  field: {
    title: ['标题', 'title'], content: ['诉求内容', 'content'], lon: ['经度', 'longitude'], lat: ['纬度', 'latitude'],
    crs: ['坐标系', 'coordinate system'], address: ['地址', 'address'], item: ['事项', 'item'], county: ['区县', 'county'],
    grid: ['网格', 'grid'], unit: ['承办单位', 'unit'], units: ['承办单位', 'units'], assisting: ['协办单位', 'assisting units'],
    channel: ['来源渠道', 'channel'], type: ['诉求类型', 'type'], urgency: ['紧急程度', 'urgency'],
    reporter: ['诉求人', 'reporter'], 'reporter.name': ['诉求人姓名', "reporter's name"], 'reporter.phone': ['诉求人电话', "reporter's phone"],
    name: ['姓名', 'name'], phone: ['电话', 'phone'], id_number: ['证件号码', 'ID number'], reason: ['理由', 'reason'],
    note: ['说明', 'note'], comment: ['意见', 'comment'], answer: ['答复内容', 'answer'], result: ['结果', 'result'],
    state: ['状态', 'state'], scope: ['管辖范围', 'scope'], role: ['角色', 'role'], username: ['用户名', 'username'],
    password: ['密码', 'password'], old_password: ['原密码', 'current password'], new_password: ['新密码', 'new password'],
    satisfaction: ['满意度', 'satisfaction'], reached: ['是否联系上', 'reached'], means: ['联系方式', 'means'], at: ['时间', 'time'],
    resolved: ['是否解决', 'resolved'], days: ['天数', 'days'], deadline: ['时限', 'deadline'], ids: ['工单', 'orders'],
    cursor: ['翻页位置', 'cursor'], limit: ['每页条数', 'page size'], offset: ['起始位置', 'offset'], sort: ['排序', 'sort'],
    light: ['灯', 'light'], from: ['开始日期', 'from'], to: ['结束日期', 'to'], month: ['月份', 'month'], by: ['分组', 'group by'],
    view: ['视图', 'view'], supervised: ['督办', 'supervised'], indicators: ['指标', 'indicators'], regions: ['区划', 'regions'],
    permissions: ['权限', 'permissions'], field: ['字段', 'field'], anonymous: ['匿名', 'anonymous'], line: ['专线', 'line'],
    points: ['坐标点', 'points'], q: ['查询内容', 'search text'], code: ['编码', 'code'], level: ['级别', 'level'],
    id: ['编号', 'id'], region: ['区划', 'region'],
    // the registry's people and households
    id_type: ['证件类型', 'ID type'], gender: ['性别', 'gender'], birth_date: ['出生日期', 'birth date'],
    residence: ['人口类型', 'residence'], political: ['政治面貌', 'political status'], care: ['关爱类别', 'care group'],
    special: ['特殊人群类别', 'special population'], mental_risk: ['风险等级', 'risk level'], household: ['户', 'household'],
    number: ['户号', 'household number'], head: ['户主', 'head of household'], worker: ['联系网格员', 'paired worker'],
    members: ['家庭成员', 'members'], granted: ['授权', 'granted'],
    // the grid team's
    since: ['起始日期', 'since'], until: ['截止日期', 'until'], work_phone: ['工作电话', 'work phone'],
    duty: ['分工', 'duty'], home_unit: ['派出单位', 'home unit'], building: ['楼栋', 'building'],
    person: ['人口编号', 'person'], duties: ['工作职责', 'duties'], police_station: ['派出所', 'police station'],
    // the registry's houses and buildings, as an import's report names them
    floors: ['地上层数', 'floors'], use: ['用途', 'use'], floor: ['楼层', 'floor'],
    room: ['房号', 'room'], tenants: ['租户人数', 'tenants']
  },
  objtype: {
    account: ['账号', 'account'], order: ['工单', 'order'], apikey: ['接口密钥', 'API key'], unit: ['承办单位', 'unit'],
    route_rule: ['派单规则', 'routing rule'], grid: ['网格', 'grid'], region: ['区划', 'region'], catalog_item: ['目录事项', 'catalog item'],
    resident: ['群众', 'resident'], file: ['文件', 'file'], calendar: ['工作日历', 'calendar'], session: ['会话', 'session'], user: ['账号', 'account'],
    person: ['人口', 'person'], household: ['户', 'household'], building: ['楼栋', 'building'],
    house: ['房屋', 'house']
  }
}


// t('nav.intake') → 受理; the label of an API value: te('state', 'received') → 已受理
export const { t, te } = translator(T, ENUMS)

export function enumValues (kind) {
  return Object.keys(ENUMS[kind] || {})
}

export function fmtRate (r) {
  if (!r || r.value === null || r.value === undefined) return '—'
  return (r.value * 100).toFixed(1) + '%'
}

// A figure as people read it: a rate in percent, a score or an average to one decimal, a
// count as it is; a bare number (the unit ranking's composite) like its object form.
export function fmtValue (name, r) {
  if (r === null || r === undefined) return '—'
  if (typeof r === 'number') return fmtValue(name, { value: r })
  if (typeof r !== 'object') return String(r)
  if (name === 'grade') return r.value ?? '—'
  if (name.endsWith('_rate')) return fmtRate(r)
  if (r.value === null || r.value === undefined) return '—'
  if (name === 'composite') return Number(r.value).toFixed(1) // percent
  if (name === 'avg_handling_hours') return Number(r.value).toFixed(1)
  if (typeof r.value === 'number' && !Number.isInteger(r.value)) return r.value.toFixed(1)
  return String(r.value)
}

// The field an API message is about: the first name it quotes ("'title' is required",
// "'reporter.phone' must be …"), or ''.
export function errorField (message) {
  const m = /'([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)'/.exec(message || '')
  return m ? m[1] : ''
}

// An API error as the console shows it: in Chinese the sentence for its code, after the
// name of the field it is about (the server's message, in English, stays for English
// readers), the wrong-login message in its own words. Answers the error, its message
// rewritten.
export function translateError (e) {
  if (!e || !e.code || i18n.lang !== 'zh') return e
  if (e.detail === undefined) e.detail = e.message
  const field = e.status < 500 ? errorField(e.detail) : ''
  if (e.code === 'unauthorized' && /wrong username or password/i.test(e.detail)) e.message = t('err.wrong_login')
  else if (ENUMS.error[e.code]) e.message = te('error', e.code)
  else if (e.status) e.message = te('error', e.status >= 500 ? 'internal' : 'invalid')
  if (field && e.code !== 'unauthorized') e.message = t('err.field', { field: te('field', field), what: e.message })
  return e
}

export const i18nPlugin = {
  install (app) {
    app.config.globalProperties.t = t
    app.config.globalProperties.te = te
    app.config.globalProperties.fmtTime = fmtTime
  }
}
