// The caller's notifications (GET /api/v1/notifications): the unread count the bell shows,
// read again every minute and after each marking, and marking read — one's own only, by id
// or all at once (POST /api/v1/notifications/read).
import { reactive } from 'vue'
import { get, post, qs } from './api'

export const notices = reactive({ unread: 0 })

let timer = null

export async function refreshUnread () {
  try {
    const r = await get('/api/v1/notifications' + qs({ limit: 1 }))
    notices.unread = r.unread
  } catch { /* the bell keeps its last count; the page says what failed */ }
}

export function watchUnread () {
  refreshUnread()
  if (!timer) timer = setInterval(refreshUnread, 60000)
}

export function stopWatching () {
  clearInterval(timer)
  timer = null
}

export async function listNotices ({ unread, limit, offset }) {
  const r = await get('/api/v1/notifications' + qs({ unread: unread ? 1 : '', limit, offset }))
  notices.unread = r.unread
  return r
}

export async function markRead (body) {
  const r = await post('/api/v1/notifications/read', body)
  notices.unread = r.unread
  return r
}
