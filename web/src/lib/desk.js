// A desk's list, a page at a time through the server's keyset cursor (GET /api/v1/orders
// without offset): one request a page, each order as the table shows it (view=full carries
// what only the detail had: allowed actions, the masked reporter, deadlines), the total
// (exact, or "at least"), counts per state. The cursors of the pages already read are kept,
// so that the pager can go back.
import { reactive } from 'vue'
import { get, qs } from './api'
import { t } from './i18n'

export function useDesk (params, { limit = 50, full = false } = {}) {
  const d = reactive({ rows: [], total: 0, exact: true, counts: {}, sort: '', page: 1, next: null, loading: false, error: null })
  const cursors = [''] // the cursor of each page read, from the first ('')
  async function read (cursor) {
    d.loading = true
    try {
      const r = await get('/api/v1/orders' + qs({ ...params(), limit, cursor, view: full ? 'full' : '' }))
      d.rows = r.orders
      d.total = r.total
      d.exact = r.total_exact
      d.counts = r.counts || {}
      d.sort = r.sort
      d.next = r.next_cursor
      d.error = null
    } catch (e) {
      d.error = e
      ElMessage.error(e.message)
    } finally { d.loading = false }
  }
  d.load = () => { cursors.length = 1; d.page = 1; return read('') }
  d.reload = () => read(cursors[d.page - 1])
  d.forward = () => { if (!d.next) return; cursors[d.page] = d.next; d.page++; return read(d.next) }
  d.back = () => { if (d.page <= 1) return; d.page--; return read(cursors[d.page - 1]) }
  return d
}

// A total as people read it: 377, or "1000+" when the server counted no further.
export function fmtTotal (n, exact) {
  return exact ? String(n) : t('desk.at_least', { n })
}

// The working time left to a deadline, or past it, as the list and the detail show it:
// "剩 2 个工作日 3 小时", "超期 9 个工作日" (natural days for urgent and critical orders).
export function fmtRemaining (r) {
  if (!r) return ''
  const unit = r.working ? t('rem.wday') : t('rem.day')
  const parts = []
  if (r.days) parts.push(r.days + ' ' + unit)
  if (r.hours || !r.days) parts.push(r.hours + ' ' + t('rem.hour'))
  if (!r.days && !r.hours) return r.overdue ? t('rem.overdue', { v: (r.minutes || 0) + ' ' + t('rem.minute') }) : t('rem.due_now')
  return t(r.overdue ? 'rem.overdue' : 'rem.left', { v: parts.join(' ') })
}

export const SORTS = ['deadline', 'urgency', 'newest', 'age']
