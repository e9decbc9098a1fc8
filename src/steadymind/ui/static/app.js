// steadymind: small enhancements only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
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
  // Ask before destructive forms.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
  });
});
