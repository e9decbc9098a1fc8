// steadymind: guided practice. The pacer follows the composed script's breaths, the caption its
// words, the audio plays the spoken session; the one-minute page gets a countdown. Every page
// works without this file (the script is readable, the audio has controls, the minute is CSS).
"use strict";
(function () {
  const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const WORDS = { in: "Breathe in", in_top: "A little more", hold: "Hold", out: "Breathe out", hold_out: "Hold" };
  const SIZE = { in: 1, in_top: 1.08, hold: null, out: 0.55, hold_out: null };

  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  // The pacer: one breath phase at a time; the circle's transition lasts as long as the phase.
  function Pacer(el, word) {
    let last = -1;
    return {
      show(index, breath) {
        if (!el || index === last) return;
        last = index;
        if (word) word.textContent = WORDS[breath.phase] || "";
        el.dataset.phase = breath.phase;
        const size = SIZE[breath.phase];
        if (reduce || size === null) return;
        el.style.transitionDuration = breath.seconds + "s";
        el.style.transform = "scale(" + size + ")";
      },
      rest() { if (el) { el.style.transitionDuration = "1s"; el.style.transform = "scale(.55)"; } if (word) word.textContent = "Ready"; last = -1; },
      // Biofeedback: a new pace (breaths a minute) from the server, for the next breaths.
      el: el,
    };
  }

  function at(list, t) {
    let found = -1;
    for (let i = 0; i < list.length; i++) { if (list[i].start <= t) found = i; else break; }
    return found;
  }

  function player(root) {
    const data = JSON.parse(document.getElementById("practice-script").textContent);
    const audio = document.getElementById("practice-audio");
    const speak = document.getElementById("speak");
    const play = document.getElementById("play");
    const caption = document.getElementById("caption");
    const timer = document.getElementById("timer");
    const pacer = Pacer(document.getElementById("pacer"), document.getElementById("pacer-word"));
    const total = data.seconds;
    let started = null, offset = 0, running = false, frame = null;
    const now = () => (speak && speak.checked && audio && !audio.paused ? audio.currentTime : offset + (running ? (performance.now() - started) / 1000 : 0));

    function tick() {
      const t = now();
      const b = at(data.breaths, t);
      if (b >= 0 && t < data.breaths[b].start + data.breaths[b].seconds) pacer.show(b, data.breaths[b]);
      const v = at(data.voice, t);
      if (v >= 0 && caption && !/^(Breathe in|Breathe out|Hold|and a little more)$/.test(data.voice[v].text)) caption.textContent = data.voice[v].text;
      if (timer) timer.textContent = clock(t) + " / " + clock(total);
      root.dataset.elapsed = t.toFixed(1);
      if (t >= total) { stop(true); return; }
      if (running) frame = window.requestAnimationFrame(tick);
    }
    function start() {
      running = true; started = performance.now();
      if (speak && speak.checked && audio) { audio.currentTime = offset; audio.play().catch(() => {}); }
      play.textContent = "Pause"; root.classList.add("running"); tick();
    }
    function stop(done) {
      offset = done ? 0 : now(); running = false;
      if (audio) audio.pause();
      if (frame) window.cancelAnimationFrame(frame);
      play.textContent = done ? "Start again" : "Carry on"; root.classList.remove("running");
      if (done) { pacer.rest(); root.dataset.done = "true"; const rate = document.getElementById("rate"); if (rate) rate.scrollIntoView({ behavior: reduce ? "auto" : "smooth" }); }
    }
    play.addEventListener("click", () => (running ? stop(false) : start()));
    if (speak) speak.addEventListener("change", () => { if (running && !speak.checked && audio) { offset = audio.currentTime; started = performance.now(); audio.pause(); } else if (running && speak.checked && audio) { audio.currentTime = now(); audio.play().catch(() => {}); } });
    window.steadymindPlayer = { now, pacer, data };
  }

  function minute(el) {
    const end = performance.now() + Number(el.dataset.seconds || 60) * 1000;
    const step = () => {
      const left = (end - performance.now()) / 1000;
      el.textContent = left > 0 ? clock(Math.ceil(left)) + " left" : "";
      if (left > 0) window.setTimeout(step, 250);
    };
    step();
  }

  // -- biofeedback: a heart-rate strap over Web Bluetooth, or the simulated strap on the server --

  // Heart Rate Measurement (0x2A37): flags, heart rate (8 or 16 bit), energy, RR in 1/1024 s.
  function parseHeartRate(view) {
    const flags = view.getUint8(0);
    let at = 1;
    const hr = flags & 0x1 ? view.getUint16(at, true) : view.getUint8(at);
    at += flags & 0x1 ? 2 : 1;
    if (flags & 0x8) at += 2;
    const rr = [];
    if (flags & 0x10) for (; at + 1 < view.byteLength; at += 2) rr.push(Math.round((view.getUint16(at, true) / 1024) * 1000 * 10) / 10);
    return { hr, rr };
  }

  function chart(svg, series) {
    if (!svg || series.length < 2) return;
    const w = 600, h = 220, pad = 10;
    const t0 = series[0].t, t1 = series[series.length - 1].t || 1;
    const line = (key) => {
      const values = series.map((p) => p[key]);
      const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
      return series.map((p) => (pad + ((p.t - t0) / (t1 - t0 || 1)) * (w - 2 * pad)).toFixed(1) + "," + (h - pad - ((p[key] - lo) / span) * (h - 2 * pad)).toFixed(1)).join(" ");
    };
    svg.querySelector(".hr-line").setAttribute("points", line("hr"));
    svg.querySelector(".rmssd-line").setAttribute("points", line("rmssd"));
  }

  function biofeedback(root) {
    const $ = (id) => document.getElementById(id);
    const state = { source: null, socket: null, pace: Number(root.dataset.pace) || 6, characteristic: null, latency: [] };
    window.steadymindBio = state;
    const pacerEl = $("bio-pacer"), word = $("bio-pacer-word");
    let timer = null;
    function breathe() {  // one breath at the current pace: in for 40 %, out for 60 %
      const cycle = 60 / state.pace;
      word.textContent = "Breathe in";
      if (!reduce) { pacerEl.style.transitionDuration = (cycle * 0.4) + "s"; pacerEl.style.transform = "scale(1)"; }
      timer = window.setTimeout(() => {
        word.textContent = "Breathe out";
        if (!reduce) { pacerEl.style.transitionDuration = (cycle * 0.6) + "s"; pacerEl.style.transform = "scale(.55)"; }
        timer = window.setTimeout(breathe, cycle * 600);
      }, cycle * 400);
    }
    function chosen(source, label) {
      state.source = source; $("bio-source").textContent = label; $("bio-start").disabled = false;
    }
    function show(m) {
      if (m.pace && m.pace !== state.pace) { state.pace = m.pace; pacerEl.dataset.pace = String(m.pace); }
      pacerEl.dataset.pace = String(state.pace);
      if (m.hr != null) $("bio-hr").textContent = m.hr.toFixed(0);
      if (m.rmssd != null) $("bio-rmssd").textContent = m.rmssd.toFixed(0);
      if (m.power != null) $("bio-power").textContent = m.power.toFixed(0);
      if (state.mode === "scan") $("bio-step").textContent = "Breathe with the circle: " + state.pace + " breaths a minute.";
      if (m.echo != null) state.latency.push(performance.now() - m.echo);
    }
    function finish(summary) {
      if (timer) window.clearTimeout(timer);
      word.textContent = "Done"; $("bio-stop").disabled = true; $("bio-start").disabled = false;
      const box = $("bio-summary"); box.hidden = false;
      const b = summary.before, a = summary.after;
      $("bio-before-after").textContent = b && a ? "First minute: heart rate " + b.hr + ", RMSSD " + b.rmssd + " ms. Last minute: heart rate " + a.hr + ", RMSSD " + a.rmssd + " ms." : "The session was too short to compare the first and last minute.";
      chart($("bio-chart"), summary.series || []);
      const link = $("bio-session-link"); if (link) link.hidden = false;
      root.dataset.finished = "true";
    }
    async function connect() {
      if (!navigator.bluetooth) { $("bio-source").textContent = "This browser cannot reach Bluetooth devices. Chrome or Edge on a computer or Android can; or use the simulated strap."; return; }
      try {
        const device = await navigator.bluetooth.requestDevice({ filters: [{ services: ["heart_rate"] }] });
        const server = await device.gatt.connect();
        const service = await server.getPrimaryService("heart_rate");
        state.characteristic = await service.getCharacteristic("heart_rate_measurement");
        state.characteristic.addEventListener("characteristicvaluechanged", (event) => {
          const found = parseHeartRate(event.target.value);
          if (found.hr) $("bio-hr").textContent = String(found.hr);
          if (found.rr.length && state.ready && state.socket.readyState === 1) state.socket.send(JSON.stringify({ type: "rr", rr: found.rr, sent: performance.now() }));
        });
        await state.characteristic.startNotifications();
        chosen("strap", "Connected: " + (device.name || "heart-rate strap") + ".");
      } catch (e) { $("bio-source").textContent = "No strap connected (" + (e && e.message ? e.message : "cancelled") + ")."; }
    }
    function start() {
      const mode = (document.querySelector("input[name=bio-mode]:checked") || {}).value || "paced";
      state.mode = mode;
      const url = new URL(root.dataset.socket, window.location.href); url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const socket = new WebSocket(url.href); state.socket = socket; state.ready = false;
      socket.addEventListener("open", () => socket.send(JSON.stringify({ type: "start", mode, source: state.source, speed: Number(root.dataset.speed) || 1, block: Number(root.dataset.block) || 120, session: root.dataset.session || null })));
      socket.addEventListener("message", (event) => {
        const m = JSON.parse(event.data);
        if (m.type === "ready") { state.ready = true; state.pace = m.pace; breathe(); $("bio-start").disabled = true; $("bio-stop").disabled = false; }
        else if (m.type === "metrics") show(m);
        else if (m.type === "resonance") { $("bio-resonance").textContent = m.resonance_bpm.toFixed(1) + " breaths a minute"; root.dataset.pace = String(m.resonance_bpm); $("bio-step").textContent = "Your resonance pace is about " + m.resonance_bpm.toFixed(1) + " breaths a minute. The pacer will follow it."; }
        else if (m.type === "scan-complete") socket.send(JSON.stringify({ type: "stop" }));
        else if (m.type === "summary") finish(m);
        else if (m.type === "error") $("bio-step").textContent = m.message;
      });
    }
    $("connect-strap").addEventListener("click", connect);
    $("use-simulated").addEventListener("click", () => chosen("simulated", "Using the simulated strap."));
    $("bio-start").addEventListener("click", start);
    $("bio-stop").addEventListener("click", () => { if (state.socket) state.socket.send(JSON.stringify({ type: "stop" })); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.documentElement.classList.add("js");
    const root = document.getElementById("player");
    if (root && document.getElementById("practice-script")) player(root);
    const bio = document.getElementById("biofeedback");
    if (bio) biofeedback(bio);
    const left = document.getElementById("minute-left");
    if (left) minute(left);
  });
})();
