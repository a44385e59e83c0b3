// Removing a Leaflet map from a page that is going away. Leaflet performs a wheel zoom 40 ms
// after the wheel turns and ends an animated zoom 250 ms after it starts, on timers that use
// the map's panes; a map removed in between throws from them ("reading '_leaflet_pos'"). So
// the map is removed once those timers have run: its element has already left the page.
export function removeMapLater (map) {
  if (map) setTimeout(() => map.remove(), 500)
}
