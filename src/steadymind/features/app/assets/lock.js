// The app lock's passkey ceremonies (WebAuthn): the server makes the options and keeps the
// challenge; this script only hands them to the browser and its answer back.
"use strict";
(() => {
  const toBytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(s.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
  const toText = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || "Something went wrong. Try again.");
    return data;
  }

  function answer(credential) {
    const r = credential.response;
    const out = { id: credential.id, rawId: toText(credential.rawId), type: credential.type, clientExtensionResults: credential.getClientExtensionResults(), response: { clientDataJSON: toText(r.clientDataJSON) } };
    if (r.attestationObject) {
      out.response.attestationObject = toText(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = toText(r.authenticatorData);
      out.response.signature = toText(r.signature);
      if (r.userHandle) out.response.userHandle = toText(r.userHandle);
    }
    return out;
  }

  function showError(button, message) {
    const box = button.parentElement.querySelector("[data-passkey-error]");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  async function register(button) {
    const url = button.dataset.passkeyRegister, csrf = button.dataset.csrf;
    const options = await post(url + "/options", { csrf });
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    const credential = await navigator.credentials.create({ publicKey: options });
    await post(url, { csrf, credential: answer(credential) });
    window.location.assign("/settings/lock?saved=passkey");
  }

  async function unlock(button) {
    const url = button.dataset.passkeyUnlock, csrf = button.dataset.csrf;
    const options = await post(url + "/options", { csrf });
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    const credential = await navigator.credentials.get({ publicKey: options });
    await post(url, { csrf, credential: answer(credential) });
    window.location.assign(button.dataset.next || "/checkin");
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-passkey-register], [data-passkey-unlock]");
    if (!button) return;
    if (!window.PublicKeyCredential) { showError(button, "This browser cannot use passkeys here."); return; }
    const run = button.dataset.passkeyRegister ? register : unlock;
    button.disabled = true;
    run(button).catch((error) => showError(button, error.name === "NotAllowedError" ? "The passkey was not used. Try again, or use your PIN or password." : error.message))
      .finally(() => { button.disabled = false; });
  });
})();
