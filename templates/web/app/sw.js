// Verksam's service worker: keeps the offline page and its stylesheet, and shows that page when a
// page cannot be reached. Pages and the API are never served from the cache (they are always fresh).
const CACHE = "{{ cache_version }}";
const OFFLINE = "{{ offline_url }}";
const ASSETS = [OFFLINE{% for asset in assets %}, "{{ asset }}"{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") {
    return;
  }
  event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE)));
});
