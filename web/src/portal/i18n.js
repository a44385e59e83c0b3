// The portal's words, Chinese first and English on request; the language chosen, the
// translators and China Standard Time are the console's (../lib/lang.js), so one browser
// speaks one language in both.
import { fmtTime, i18n, setLang, translator } from '../lib/lang'

export { fmtTime, i18n, setLang }

const T = {
  title: ['群众诉求', 'Residents’ appeals'],
  subtitle: ['有事您说话，网格来办理', 'Tell us; your grid team takes it from there'],
  'tab.submit': ['我要反映', 'Report'],
  'tab.follow': ['查询进度', 'Follow'],
  type: ['诉求类型', 'Kind of appeal'],
  'type.bags': ['五色袋', 'Five colour bags'],
  'type.more': ['其他类型', 'Other kinds'],
  item: ['具体事项（可选）', 'What it is about (optional)'],
  'item.none': ['不确定 / 不选择', 'Not sure / none'],
  text: ['诉求内容', 'Your appeal'],
  'text.ph': ['请描述您遇到的问题或想法：什么事、在哪里、持续多久……', 'What happened, where, since when…'],
  photos: ['照片（可选）', 'Photos (optional)'],
  'photos.add': ['添加照片', 'Add photos'],
  'photos.limit': ['最多 {n} 张，每张不超过 10 MB（JPEG、PNG、WebP）', 'Up to {n}, each at most 10 MB (JPEG, PNG, WebP)'],
  'photos.bad': ['“{name}” 不是 JPEG、PNG 或 WebP 图片，或超过 10 MB', '“{name}” is not a JPEG, PNG or WebP image, or is over 10 MB'],
  remove: ['移除', 'Remove'],
  place: ['位置', 'Place'],
  'place.gps': ['使用当前位置', 'Use my location'],
  'place.map': ['在地图上选点', 'Pick on the map'],
  'place.locating': ['正在定位…', 'Locating…'],
  'place.gps_failed': ['无法获取当前位置：{why}。请在地图上选点。', 'Could not get your location: {why}. Pick it on the map.'],
  'place.none': ['请用定位或在地图上点选诉求发生的位置', 'Use your location or tap the map where it is'],
  'place.chosen': ['已选位置', 'Chosen place'],
  'place.tap': ['点击地图选择位置', 'Tap the map to choose the place'],
  'place.no_tiles': ['未配置底图：浅色区域为本辖区范围', 'No base map configured: the shaded box is the district'],
  address: ['详细地址（可选）', 'Address (optional)'],
  'address.ph': ['如：东关社区3号楼东侧', 'e.g. east side of building 3'],
  contact: ['联系方式', 'Contact'],
  'contact.phone': ['留下电话，便于回访', 'Leave a phone number for the callback'],
  'contact.anon': ['匿名反映', 'Stay anonymous'],
  'contact.anon_note': ['匿名反映不会留下您的任何信息，只能凭查询码查看进度。', 'Nothing about you is kept; only the tracking code finds it again.'],
  phone: ['手机或固定电话', 'Mobile or landline'],
  submit: ['提交', 'Submit'],
  submitting: ['提交中…', 'Submitting…'],
  'uploading': ['正在上传照片 {i}/{n}…', 'Uploading photo {i} of {n}…'],
  'done.title': ['已受理，感谢您的反映', 'Received — thank you'],
  'done.code': ['您的查询码', 'Your tracking code'],
  'done.keep': ['请截图或抄下查询码，凭它查询进度和评价；查询码只显示这一次。', 'Keep this code (screenshot or write it down): it is how you follow and rate your appeal, and it is shown only now.'],
  'done.number': ['工单编号', 'Order number'],
  'done.copy': ['复制', 'Copy'],
  'done.copied': ['已复制', 'Copied'],
  'done.follow': ['查看进度', 'Follow it'],
  'done.again': ['再反映一件', 'Report another'],
  'done.photo_failed': ['照片未能全部上传：{msg}。可在查询页再试。', 'Not every photo was uploaded: {msg}. You can try again from Follow.'],
  code: ['查询码', 'Tracking code'],
  'code.ph': ['如 ABCD-EFGH-JKMN-PQRS', 'e.g. ABCD-EFGH-JKMN-PQRS'],
  'follow.go': ['查询', 'Look up'],
  'follow.mine': ['本机提交过的诉求', 'Filed from this phone'],
  state: ['当前状态', 'Status'],
  unit: ['承办单位', 'Handled by'],
  'photos.count': ['照片 {n} 张', '{n} photo(s)'],
  'photos.more': ['补充照片', 'Add a photo'],
  timeline: ['办理进度', 'Progress'],
  reply: ['答复', 'Reply'],
  'rate.title': ['请对办理结果评价', 'How was it handled?'],
  'rate.resolved': ['问题是否解决', 'Was it resolved?'],
  'rate.comment': ['意见建议（可选）', 'Comment (optional)'],
  'rate.send': ['提交评价', 'Send rating'],
  'rate.yours': ['您的评价', 'Your rating'],
  'rate.wait': ['办理答复后即可评价', 'You can rate it once it is answered'],
  yes: ['已解决', 'Yes'],
  no: ['未解决', 'No'],
  retry_after: ['请求过于频繁，请 {m} 分钟后再试', 'Too many requests; try again in {m} min'],
  lang: ['English', '中文'],
  // Chinese first (issue 18 items 8 and 11): errors, the due date, the unit's photos
  'follow.unknown': ['没有找到这个查询码对应的诉求，请核对后重新输入', 'No appeal has this tracking code; check it and try again'],
  'err.invalid': ['填写的内容有误，请检查后重试', 'Something in the form is not right; check it and try again'],
  'err.conflict': ['当前状态下不能这样操作，请刷新后查看', 'That cannot be done now; reload to see where it stands'],
  'err.too_large': ['内容过大（照片不超过 10 MB）', 'Too large (a photo is at most 10 MB)'],
  'err.network': ['网络连接失败，请稍后再试', 'No connection; try again later'],
  'err.server': ['服务暂时不可用，请稍后再试', 'The service is not available now; try again later'],
  'err.other': ['操作未成功，请稍后再试', 'That did not work; try again later'],
  due: ['承诺办结时间', 'Due by'],
  'unit_photos': ['办理结果照片', 'Photos of the work done']
}

const ENUMS = {
  state: {
    received: ['已受理', 'Received'],
    dispatched: ['已派单', 'Sent to a unit'],
    signed: ['办理中', 'Being handled'],
    replied: ['已答复', 'Answered'],
    verified: ['已核查', 'Checked'],
    closed: ['已办结', 'Closed'],
    suspended: ['暂停办理', 'On hold'],
    merged: ['已合并办理', 'Merged'],
    invalid: ['无效件', 'Not an appeal']
  },
  event: {
    create: ['诉求已受理', 'Appeal received'],
    dispatch: ['已派单至 {unit}', 'Sent to {unit}'],
    approve_return: ['重新分派承办单位', 'Being reassigned'],
    sign: ['承办单位已签收，正在办理', 'The unit accepted it and is working on it'],
    reply: ['承办单位已答复', 'The unit answered'],
    answer: ['已直接答复', 'Answered directly'],
    self_handle: ['网格员已现场处置', 'Fixed on the spot by the grid worker'],
    'verify.ok': ['办理结果已核查', 'The result was checked'],
    'verify.fail': ['核查未通过，退回重新办理', 'The check failed; sent back to be done again'],
    callback: ['已回访', 'You were called back'],
    rate: ['您已评价', 'You rated it'],
    reopen: ['重新办理', 'Reopened'],
    suspend: ['暂停办理', 'Put on hold'],
    resume: ['恢复办理', 'Resumed'],
    merge: ['与相同诉求合并办理', 'Merged with the same appeal'],
    invalidate: ['判定为无效件', 'Marked as not an appeal']
  },
  satisfaction: {
    satisfied: ['满意', 'Satisfied'],
    basically_satisfied: ['基本满意', 'Mostly satisfied'],
    unsatisfied: ['不满意', 'Unsatisfied']
  }
}

export const { t, te } = translator(T, ENUMS)

// A portal type's name in the page's language.
export const typeName = ty => (ty ? (i18n.lang === 'zh' ? ty.name : ty.name_en) : '')
