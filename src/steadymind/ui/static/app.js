// steadymind: small enhancements only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Mark the tab of the page that is open (the bottom tab bar on a phone).
  document.querySelectorAll("nav.tabs a").forEach((a) => {
    if (location.pathname === a.getAttribute("href") || location.pathname.startsWith(a.getAttribute("href") + "/")) {
      a.setAttribute("aria-current", "page");
    }
  });
  // Show the value of a range slider next to it.
  document.querySelectorAll("input[type=range][data-show-value]").forEach((input) => {
    const out = document.getElementById(input.dataset.showValue);
    const show = () => { const v = Number(input.value); out.textContent = v > 0 ? "+" + v : String(v); };
    input.addEventListener("input", show);
    show();
  });
  // Say a scale's value in words too ("+3", "quite good"), for the eye and for screen readers.
  document.querySelectorAll("input[type=range][data-words]").forEach((input) => {
    const words = input.dataset.words.split("|");
    const out = document.getElementById(input.dataset.showWord);
    const say = () => {
      const v = Number(input.value); const word = words[v - Number(input.min)] || "";
      if (out) out.textContent = word;
      input.setAttribute("aria-valuetext", (v > 0 ? "+" + v : String(v)) + (word ? ", " + word : ""));
    };
    input.addEventListener("input", say);
    say();
  });
  // Fill the browser's time zone into sign-up, so times read as the person lives them.
  document.querySelectorAll("input[data-detect-timezone]").forEach((input) => {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { /* keep UTC */ }
  });
  // Copy the recovery key.
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent.trim();
      try { await navigator.clipboard.writeText(text); button.textContent = "Copied"; } catch (e) { button.textContent = "Select and copy it by hand"; }
    });
  });
  // The companion: send a turn and show the reply as it streams in (the form works without this).
  document.querySelectorAll("form[data-stream]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      const log = document.getElementById("chat-log");
      const clicked = event.submitter && event.submitter.name === "text" ? event.submitter.value : null;
      const data = new FormData(form);
      if (clicked !== null) data.set("text", clicked);
      const text = String(data.get("text") || "").trim();
      if (!log || !window.fetch || !window.TextDecoder || !text) return;
      event.preventDefault();
      const mine = document.createElement("li"); mine.className = "bubble person";
      const words = document.createElement("div"); words.className = "words"; words.textContent = text;
      mine.appendChild(words); log.appendChild(mine);
      const reply = document.createElement("li"); reply.className = "bubble companion pending";
      const said = document.createElement("div"); said.className = "words"; reply.appendChild(said); log.appendChild(reply);
      form.querySelectorAll("button, textarea").forEach((el) => { el.disabled = true; });
      let next = null;
      try {
        const response = await fetch(form.action, { method: "POST", body: new URLSearchParams(data), headers: { Accept: "text/event-stream" }, credentials: "same-origin" });
        if (!response.ok || !response.body) throw new Error("status " + response.status);
        const reader = response.body.getReader(); const decoder = new TextDecoder(); let buffer = "";
        for (;;) {
          const { value, done } = await reader.read(); if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
            const kind = (block.match(/^event: (.*)$/m) || [])[1]; const payload = JSON.parse((block.match(/^data: (.*)$/m) || [])[1] || "{}");
            if (kind === "delta") { said.textContent += (said.textContent ? " " : "") + payload.text; }
            if (kind === "gate" || kind === "done") next = payload.url;
          }
        }
      } catch (e) { form.submit(); return; }
      // The stored conversation, with what it expects next (a fragment alone would not reload).
      const target = new URL(next || window.location.pathname, window.location.href);
      if (target.pathname === window.location.pathname) window.location.reload(); else window.location.assign(target.href);
    });
  });
  // An import's upload (insights): the file goes by XMLHttpRequest so the bar shows the bytes
  // sent, then says the rows are being read and saved (the server answers when every row is in).
  // Without JavaScript, or without XMLHttpRequest, the form is a plain upload.
  document.querySelectorAll("form#import-form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const box = form.querySelector(".upload-progress"); const button = form.querySelector("button[type=submit]");
      if (!box || !window.XMLHttpRequest || !window.FormData) return;
      event.preventDefault();
      const bar = box.querySelector("progress"); const label = box.querySelector("[data-upload-label]");
      const data = new FormData(form);
      box.hidden = false; button.disabled = true; button.textContent = "Importing…";
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        bar.max = e.total; bar.value = e.loaded;
        const kb = (n) => n < 1048576 ? Math.round(n / 1024) + " KB" : (n / 1048576).toFixed(1) + " MB";
        label.textContent = "Sending the file: " + kb(e.loaded) + " of " + kb(e.total);
      });
      xhr.upload.addEventListener("load", () => {
        bar.removeAttribute("value"); label.textContent = "Sent. Reading and saving the rows…";
      });
      xhr.addEventListener("load", () => {
        // Followed a redirect: the import is done, go where the server said. Otherwise the
        // answer is a page for this address (a question about moods, an error, the safety step).
        if (xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action, window.location.href).pathname) {
          window.location.assign(xhr.responseURL); return;
        }
        document.open(); document.write(xhr.responseText); document.close();
      });
      xhr.addEventListener("error", () => {
        label.textContent = "The file could not be sent. Please try again."; button.disabled = false; button.textContent = "Import";
      });
      xhr.send(data);
    });
  });
  // Wearables: send the file itself with a progress bar, then follow the import (the form
  // works without this, as a plain upload).
  document.querySelectorAll("form[data-upload]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const file = form.querySelector("input[type=file]").files[0];
      if (!file || !window.XMLHttpRequest) return;
      event.preventDefault();
      const box = form.querySelector(".upload-progress"); const bar = box.querySelector("progress");
      const label = box.querySelector("[data-upload-label]");
      box.hidden = false; form.querySelector("button[type=submit]").disabled = true;
      const xhr = new XMLHttpRequest();
      const importer = encodeURIComponent(form.querySelector("select[name=importer]").value);
      xhr.open("POST", "/wearables/upload?importer=" + importer);
      xhr.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf]").value);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); });
      xhr.addEventListener("load", () => {
        try {
          const answer = JSON.parse(xhr.responseText);
          if (xhr.status === 201 && answer.url) { window.location.assign(answer.url); return; }
          label.textContent = (answer.error && answer.error.message) || "The file could not be sent.";
        } catch (e) { label.textContent = "The file could not be sent."; }
        form.querySelector("button[type=submit]").disabled = false;
      });
      xhr.addEventListener("error", () => { label.textContent = "The file could not be sent."; form.querySelector("button[type=submit]").disabled = false; });
      xhr.send(file);
    });
  });
  document.querySelectorAll("[data-import-status]").forEach((box) => {
    const bar = box.querySelector("progress"); const text = box.querySelector("[data-status-text]");
    if (!bar) return;
    const poll = async () => {
      try {
        const run = await (await fetch(box.dataset.importStatus, { headers: { Accept: "application/json" } })).json();
        if (run.status !== "reading" && run.status !== "saving") { window.location.reload(); return; }
        bar.max = run.bytes_total || 1; bar.value = run.bytes_done;
        if (text) text.textContent = run.status === "saving" ? "Saving…" : "Reading the file…";
      } catch (e) { /* try again */ }
      window.setTimeout(poll, 700);
    };
    window.setTimeout(poll, 300);
  });
  // Ask before destructive forms.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
  });
});
