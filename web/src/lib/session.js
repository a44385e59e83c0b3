// Who is logged in, the console's settings and the lists every page shares (units,
// catalog). The token lives in sessionStorage: closing the tab ends the console's session.
import { reactive } from 'vue'

export const session = reactive({
  token: sessionStorage.getItem('wg-token') || '',
  me: null, // {username, role, role_label, scope, must_change_password, permissions}
  config: null, // GET /api/v1/console-config
  units: null,
  catalog: null
})

export function setToken (token) {
  session.token = token || ''
  if (token) sessionStorage.setItem('wg-token', token)
  else sessionStorage.removeItem('wg-token')
}

export function clearSession () {
  setToken('')
  session.me = null
  session.units = null
}

export function hasRole (...roles) {
  return !!session.me && roles.includes(session.me.role)
}

// A scope's region code ("" for all, or for a unit)
export function scopeRegion () {
  const s = session.me && session.me.scope
  if (!s) return ''
  if (s.kind === 'region') return s.code || ''
  return ''
}

export function scopeUnit () {
  const s = session.me && session.me.scope
  return s && s.kind === 'unit' ? s.code || '' : ''
}
