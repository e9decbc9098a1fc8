// steadymind's service worker: the app opens without a connection to a check-in that waits on
// the device and syncs later. It caches only the app's own files, the offline page and the Help
// page (crisis lines): never a page with the person's data on it.
"use strict";
const CACHE = "__VERSION__";
const SHELL = [
  "/offline", "/app/offline.js", "/static/app.css", "/static/app.js", "/static/favicon.svg",
  "/app/icon-192.png", "/app/icon-512.png", "/manifest.webmanifest", "/help",
];

// Help is cached as anyone sees it (no cookie): the person's safety plan, shown beside the lines
// when logged in, must not be readable offline past the app lock.
const publicHelp = () => fetch("/help", { credentials: "omit" });

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.filter((u) => u !== "/help"))
        .then(() => publicHelp()).then((r) => (r.ok ? cache.put("/help", r) : undefined)))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function isShell(url) {
  return url.origin === self.location.origin &&
    (url.pathname.startsWith("/static/") || url.pathname.startsWith("/app/") || url.pathname === "/manifest.webmanifest");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // writes always go to the server
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The network first, always: pages hold the person's data and are never cached, except
    // Help (crisis lines), refreshed each time it is opened.
    event.respondWith(
      fetch(request).then((response) => {
        if (url.pathname === "/help" && response.ok) {
          publicHelp().then((r) => r.ok && caches.open(CACHE).then((cache) => cache.put("/help", r)));
        }
        return response;
      }).catch(async () => {
        const cache = await caches.open(CACHE);
        if (url.pathname === "/help") return (await cache.match("/help")) || cache.match("/offline");
        return cache.match("/offline");
      })
    );
    return;
  }
  if (isShell(url)) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  }
});

// A reminder sent by Web Push: reviewed words only (the server never puts a person's words in).
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "steadymind", {
    body: data.body || "", icon: "/app/icon-192.png", tag: data.id || "steadymind",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/coach"));
});
