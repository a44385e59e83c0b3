// The console's entry: Vue, the router, the i18n table, the shared styles.
import { createApp } from 'vue'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-overlay.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18nPlugin, setLang, i18n } from './lib/i18n'

setLang(i18n.lang)
createApp(App).use(router).use(i18nPlugin).mount('#app')
