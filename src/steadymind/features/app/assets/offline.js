// steadymind: the app on the home screen. Registers the service worker, keeps a check-in made
// without a connection on this device (IndexedDB, in clear: a mood, an energy and a time; no
// words), and sends it when the connection is back, through the same check-in form as ever.
"use strict";
(() => {
  const DB = "steadymind-offline", STORE = "pending-checkins";

  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  async function run(mode, fn) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const out = fn(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(out && out.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }
  const all = () => run("readonly", (s) => s.getAll());
  const add = (item) => run("readwrite", (s) => s.add(item));
  const remove = (id) => run("readwrite", (s) => s.delete(id));

  function localStamp(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  async function showWaiting() {
    const out = document.getElementById("offline-waiting");
    if (!out) return;
    const items = await all();
    out.textContent = items.length === 0 ? "Nothing is waiting on this device."
      : items.length === 1 ? "1 check-in is waiting on this device; it will be sent when you are online."
      : `${items.length} check-ins are waiting on this device; they will be sent when you are online.`;
  }

  let syncing = false;
  async function sync() {
    if (syncing || !navigator.onLine || !("indexedDB" in window)) return;
    syncing = true;
    try {
      const items = await all();
      for (const item of items) {
        const page = await fetch("/checkin", { credentials: "same-origin" });
        if (!page.ok || new URL(page.url).pathname !== "/checkin") break;  // logged out: wait
        const token = (await page.text()).match(/name="csrf" value="([^"]+)"/);
        if (!token) break;
        const body = new URLSearchParams({ csrf: token[1], mood: item.mood, energy: item.energy, at: item.at, at_shown: "" });
        const sent = await fetch("/checkin", { method: "POST", body, credentials: "same-origin" });
        if (!sent.ok) break;
        await remove(item.id);
      }
    } catch (e) { /* still offline, or the server is away: try again later */ }
    syncing = false;
    showWaiting();
    const status = document.getElementById("sync-status");
    if (status) status.dataset.done = String(Date.now());
  }

  document.addEventListener("DOMContentLoaded", () => {
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    const form = document.getElementById("offline-checkin");
    if (form) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        await add({ mood: Number(data.get("mood")), energy: Number(data.get("energy")), at: localStamp(new Date()) });
        document.getElementById("offline-saved").hidden = false;
        await showWaiting();
        sync();
      });
    }
    showWaiting();
    sync();
    offerPush();
  });

  // "Get push notifications in this browser" on the reminders page: subscribe with this
  // server's VAPID key and save the subscription as a channel (the form posts it).
  function offerPush() {
    const form = document.getElementById("push-form");
    if (!form || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
    form.hidden = false;
    document.getElementById("push-button").addEventListener("click", async () => {
      try {
        if ((await Notification.requestPermission()) !== "granted") return;
        const registration = await navigator.serviceWorker.ready;
        const raw = atob(form.dataset.key.replace(/-/g, "+").replace(/_/g, "/"));
        const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
        const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        document.getElementById("push-target").value = JSON.stringify(subscription.toJSON());
        form.submit();
      } catch (e) { /* no push service reachable from this browser: the other channels remain */ }
    });
  }
  window.addEventListener("online", sync);
})();
