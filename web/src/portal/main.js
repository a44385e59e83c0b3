// The residents' portal (/m/): a second entry of the console's build. Vue only — no UI
// library — so a phone on a slow line loads little: the page, Vue and, once the map is
// opened, Leaflet.
import { createApp } from 'vue'
import './portal.css'
import App from './App.vue'
import { setLang, i18n } from './i18n'

setLang(i18n.lang)
createApp(App).mount('#app')
