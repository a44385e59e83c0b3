// The console's pages, who sees each, and the guard that sends a caller to the login page,
// to the forced password change, or to their role's home page.
import { createRouter, createWebHistory } from 'vue-router'
import { REGISTRY_ROLES, session, setToken, clearSession } from './lib/session'
import { get, setUnauthorizedHandler } from './lib/api'
// the login page and the frame come with the first load; every other page when it is opened
import Login from './pages/Login.vue'
import Layout from './pages/Layout.vue'

const ORDER_ROLES = ['agent', 'supervisor', 'handler', 'gridworker', 'community', 'mediator', 'leader']
const MAP_ROLES = ['sysadmin', ...ORDER_ROLES]
const STATS_ROLES = ['leader', 'supervisor', 'agent', 'sysadmin', 'handler', 'community', 'gridworker']
// who reads the dispute cases (dispute_read): all who work orders but the departments' handlers
const DISPUTE_ROLES = ['agent', 'supervisor', 'gridworker', 'community', 'mediator', 'leader']
// who reads alerts, warnings, tasks and 帮包 (alert_read)
const ALERT_ROLES = ['agent', 'supervisor', 'handler', 'gridworker', 'community', 'leader']
// who reads assessment results and rankings (assess_read)
const ASSESS_READ = ['agent', 'supervisor', 'handler', 'gridworker', 'community', 'leader']
// who reads 一长二员, volunteers, mobilisations, wishes and deliberations (partake_read)
const PARTAKE_ROLES = ['agent', 'supervisor', 'gridworker', 'community', 'leader']

// the menu, in order; each entry's roles see it
export const NAV = [
  { path: '/intake', key: 'nav.intake', roles: ['agent', 'supervisor', 'community'] },
  { path: '/dispatch', key: 'nav.dispatch', roles: ['agent', 'supervisor'] },
  { path: '/inbox', key: 'nav.inbox', roles: ['handler', 'community'] },
  { path: '/mobile', key: 'nav.mobile', roles: ['gridworker'] },
  { path: '/callback', key: 'nav.callback', roles: ['agent', 'supervisor'] },
  { path: '/supervised', key: 'nav.supervised', roles: ['agent', 'supervisor', 'handler', 'leader'] },
  { path: '/my-disputes', key: 'nav.my_disputes', roles: ['mediator'] },
  { path: '/orders', key: 'nav.orders', roles: ORDER_ROLES },
  { path: '/disputes', key: 'nav.disputes', roles: DISPUTE_ROLES },
  { path: '/screenings', key: 'nav.screenings', roles: DISPUTE_ROLES },
  { path: '/mediation-bodies', key: 'nav.bodies', roles: DISPUTE_ROLES },
  { path: '/alerts', key: 'nav.alerts', roles: ALERT_ROLES },
  { path: '/devices', key: 'nav.devices', roles: MAP_ROLES },
  { path: '/warnings', key: 'nav.warnings', roles: ALERT_ROLES },
  { path: '/tasks', key: 'nav.tasks', roles: ALERT_ROLES },
  { path: '/sponsorships', key: 'nav.sponsorships', roles: ALERT_ROLES },
  { path: '/assessments', key: 'nav.assessments', roles: ASSESS_READ },
  { path: '/stairwells', key: 'nav.stairwells', roles: PARTAKE_ROLES },
  { path: '/volunteers', key: 'nav.volunteers', roles: PARTAKE_ROLES },
  { path: '/mobilisations', key: 'nav.mobilisations', roles: PARTAKE_ROLES },
  { path: '/wishes', key: 'nav.wishes', roles: PARTAKE_ROLES },
  { path: '/deliberations', key: 'nav.deliberations', roles: PARTAKE_ROLES },
  { path: '/surveys', key: 'nav.surveys', roles: ASSESS_READ },
  { path: '/survey-calls', key: 'nav.survey_calls', roles: ['agent', 'supervisor'] },
  { path: '/dashboard', key: 'nav.dashboard', roles: STATS_ROLES },
  { path: '/grids', key: 'nav.grids', roles: MAP_ROLES },
  { path: '/registry', key: 'nav.registry', roles: REGISTRY_ROLES },
  { path: '/reports', key: 'nav.reports', roles: ['leader', 'supervisor', 'agent'] },
  { path: '/admin', key: 'nav.admin', roles: ['sysadmin'] },
  { path: '/audit', key: 'nav.audit', roles: ['auditor'] },
  { path: '/notices', key: 'nav.notices', roles: null },
  { path: '/account', key: 'nav.account', roles: null }
]

const HOME = {
  agent: '/intake', supervisor: '/dispatch', handler: '/inbox', gridworker: '/mobile', community: '/orders',
  mediator: '/my-disputes', leader: '/dashboard', sysadmin: '/admin', auditor: '/audit', secadmin: '/account'
}

function roles (path) {
  const n = NAV.find(x => x.path === path)
  return n ? n.roles : null
}

const routes = [
  { path: '/login', component: Login, meta: { public: true } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', redirect: () => HOME[session.me?.role] || '/account' },
      { path: 'intake', component: () => import('./pages/Intake.vue'), meta: { roles: roles('/intake') } },
      { path: 'dispatch', component: () => import('./pages/Dispatch.vue'), meta: { roles: roles('/dispatch') } },
      { path: 'inbox', component: () => import('./pages/Inbox.vue'), meta: { roles: roles('/inbox') } },
      { path: 'mobile', component: () => import('./pages/Mobile.vue'), meta: { roles: roles('/mobile') } },
      { path: 'callback', component: () => import('./pages/Callback.vue'), meta: { roles: roles('/callback') } },
      { path: 'orders', component: () => import('./pages/Orders.vue'), meta: { roles: ORDER_ROLES } },
      { path: 'orders/:id', component: () => import('./pages/OrderDetail.vue'), meta: { roles: ORDER_ROLES } },
      { path: 'disputes', component: () => import('./pages/Disputes.vue'), meta: { roles: DISPUTE_ROLES } },
      { path: 'disputes/:id', component: () => import('./pages/DisputeDetail.vue'), meta: { roles: DISPUTE_ROLES } },
      { path: 'my-disputes', component: () => import('./pages/MyDisputes.vue'), meta: { roles: ['mediator'] } },
      { path: 'mediation-bodies', component: () => import('./pages/MediationBodies.vue'), meta: { roles: DISPUTE_ROLES } },
      { path: 'screenings', component: () => import('./pages/Screenings.vue'), meta: { roles: DISPUTE_ROLES } },
      { path: 'alerts', component: () => import('./pages/AlertDesk.vue'), meta: { roles: roles('/alerts') } },
      { path: 'devices', component: () => import('./pages/Devices.vue'), meta: { roles: roles('/devices') } },
      { path: 'tasks', component: () => import('./pages/Tasks.vue'), meta: { roles: ALERT_ROLES } },
      { path: 'tasks/:id', component: () => import('./pages/TaskDetail.vue'), meta: { roles: ALERT_ROLES } },
      { path: 'sponsorships', component: () => import('./pages/Sponsorships.vue'), meta: { roles: ALERT_ROLES } },
      { path: 'assessments', component: () => import('./pages/Assessments.vue'), meta: { roles: ASSESS_READ } },
      { path: 'assessments/:id', component: () => import('./pages/AssessmentDetail.vue'), meta: { roles: ASSESS_READ } },
      { path: 'stairwells', component: () => import('./pages/Stairwells.vue'), meta: { roles: PARTAKE_ROLES } },
      { path: 'volunteers', component: () => import('./pages/Volunteers.vue'), meta: { roles: PARTAKE_ROLES } },
      { path: 'mobilisations', component: () => import('./pages/Mobilisations.vue'), meta: { roles: PARTAKE_ROLES } },
      { path: 'wishes', component: () => import('./pages/Wishes.vue'), meta: { roles: PARTAKE_ROLES } },
      { path: 'deliberations', component: () => import('./pages/Deliberations.vue'), meta: { roles: PARTAKE_ROLES } },
      { path: 'deliberations/:id', component: () => import('./pages/DeliberationDetail.vue'), meta: { roles: PARTAKE_ROLES } },
      { path: 'surveys', component: () => import('./pages/Surveys.vue'), meta: { roles: ASSESS_READ } },
      { path: 'surveys/:id', component: () => import('./pages/SurveyDetail.vue'), meta: { roles: ASSESS_READ } },
      { path: 'survey-calls', component: () => import('./pages/SurveyCalls.vue'), meta: { roles: roles('/survey-calls') } },
      { path: 'warnings', component: () => import('./pages/Warnings.vue'), meta: { roles: ALERT_ROLES } },
      { path: 'warnings/:id', component: () => import('./pages/WarningDetail.vue'), meta: { roles: ALERT_ROLES } },
      { path: 'dashboard', component: () => import('./pages/Dashboard.vue'), meta: { roles: roles('/dashboard') } },
      { path: 'grids', component: () => import('./pages/Grids.vue'), meta: { roles: MAP_ROLES } },
      { path: 'registry', component: () => import('./pages/Registry.vue'), meta: { roles: REGISTRY_ROLES } },
      { path: 'reports', component: () => import('./pages/Reports.vue'), meta: { roles: roles('/reports') } },
      { path: 'admin', component: () => import('./pages/Admin.vue'), meta: { roles: ['sysadmin'] } },
      { path: 'audit', component: () => import('./pages/Audit.vue'), meta: { roles: ['auditor'] } },
      { path: 'supervised', component: () => import('./pages/Supervised.vue'), meta: { roles: roles('/supervised') } },
      { path: 'notices', component: () => import('./pages/Notices.vue') },
      { path: 'account', component: () => import('./pages/Account.vue') },
      { path: ':rest(.*)*', redirect: '/' }
    ]
  }
]

export const router = createRouter({ history: createWebHistory('/'), routes })

setUnauthorizedHandler(() => {
  if (router.currentRoute.value.path !== '/login') router.push({ path: '/login', query: { next: router.currentRoute.value.fullPath } })
})

router.beforeEach(async to => {
  if (to.meta.public) return true
  if (!session.token) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (!session.me) {
    try {
      session.me = await get('/api/v1/me')
    } catch (e) {
      clearSession()
      return { path: '/login' }
    }
  }
  if (session.me.must_change_password) return { path: '/login', query: { change: '1' } }
  const need = to.meta.roles
  if (need && !need.includes(session.me.role)) return HOME[session.me.role] || '/account'
  return true
})

export function homeOf (role) { return HOME[role] || '/account' }
export { setToken }
