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

  document.addEventListener("DOMContentLoaded", () => {
    document.documentElement.classList.add("js");
    const root = document.getElementById("player");
    if (root && document.getElementById("practice-script")) player(root);
    const left = document.getElementById("minute-left");
    if (left) minute(left);
  });
})();
