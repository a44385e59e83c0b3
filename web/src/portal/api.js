// The portal's calls: the public routes only, never a staff session's token (no cookies, no
// Authorization). Errors are the console's ApiError (../lib/http.js).
import { answer, send } from '../lib/http'
import { i18n, t } from './i18n'

async function call (method, path, body) {
  return answer(await send(method, '/api/v1/public' + path, body, {}, { credentials: 'omit' }))
}

// An error as the resident reads it: how long to wait when the server asked for a pause;
// in English the API's message (it names the field); in Chinese a sentence for its kind.
export function errorText (e) {
  if (e.status === 429 && e.retryAfter) return t('retry_after', { m: Math.ceil(e.retryAfter / 60) })
  if (i18n.lang !== 'zh') return e.message
  const key = { invalid: 'err.invalid', conflict: 'err.conflict', too_large: 'err.too_large', network: 'err.network', not_found: 'follow.unknown' }[e.code]
  return t(key || (e.status >= 500 ? 'err.server' : 'err.other'))
}

export const loadTypes = () => call('GET', '/types')
export const submitAppeal = body => call('POST', '/appeals', body)
export const addPhoto = (code, file) => call('POST', `/appeals/${encodeURIComponent(code)}/photos`, file)
export const follow = code => call('GET', `/appeals/${encodeURIComponent(code)}`)
export const findPlaces = q => call('GET', `/addresses?q=${encodeURIComponent(q)}&limit=8`)
export const gridCard = (lon, lat) => call('GET', `/grid?lon=${lon}&lat=${lat}&crs=wgs84`)
export const followDispute = code => call('GET', `/disputes/${encodeURIComponent(code)}`)
export const rate = (code, body) => call('POST', `/appeals/${encodeURIComponent(code)}/rating`, body)
// the wish wall, the notices board and the resident's confirmation of their wish (issue 22)
export const wishWall = (state, cursor) => call('GET', '/wishes?limit=20' + (state ? '&state=' + state : '') + (cursor ? '&cursor=' + cursor : ''))
export const noticeBoard = () => call('GET', '/notices')
export const confirmWish = (code, body) => call('POST', `/appeals/${encodeURIComponent(code)}/wish`, body)

// The codes this device filed, newest first, so a resident can come back to them. They stay
// on the phone; the server never links them to anyone.
const KEY = 'wg-portal-codes'
export function myCodes () {
  try { return JSON.parse(localStorage.getItem(KEY) || '[]') } catch { return [] }
}
export function rememberCode (code, at, type) {
  const list = myCodes().filter(c => c.code !== code)
  list.unshift({ code, at, type })
  localStorage.setItem(KEY, JSON.stringify(list.slice(0, 20)))
}
