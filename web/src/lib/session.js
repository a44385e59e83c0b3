// Who is logged in, the console's settings and the lists every page shares (units,
// catalog). The token lives in sessionStorage: closing the tab ends the console's session.
import { reactive } from 'vue'
import { t } from './i18n'

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

// who reads the registry (registry_read, domain/accounts/account.c)
export const REGISTRY_ROLES = ['sysadmin', 'agent', 'supervisor', 'gridworker', 'community', 'mediator', 'leader']

export function hasRole (...roles) {
  return !!session.me && roles.includes(session.me.role)
}

// A scope as people read it: 全部 for the whole platform (a region scope without a code),
// else kind:code
export function scopeText (s) {
  if (!s) return ''
  return s.kind === 'region' && !s.code ? t('all') : `${s.kind}:${s.code}`
}

export function scopeUnit () {
  const s = session.me && session.me.scope
  return s && s.kind === 'unit' ? s.code || '' : ''
}
