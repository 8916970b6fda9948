// Passkeys (WebAuthn) for the pages that offer them: a plain ES module next to the wasm (no
// web-sys, nothing added to the wasm). Buttons marked `data-passkey-action` ("login",
// "register", "step-up") run a ceremony against /api/v1/auth/passkeys/…; the server keeps the
// ceremony's state and sends options whose binary fields are unpadded base64url.
// Clicks are caught on the document, so buttons rendered after hydration work too.

const API = "/api/v1/auth/passkeys";

const b64u = (buf) =>
  btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const unb64u = (text) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function post(path, body, url = API + path) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body ?? {}),
    credentials: "same-origin",
  });
  if (!response.ok) {
    let message = "Something went wrong. Try again.";
    try {
      message = (await response.json()).error.message;
    } catch (_) {
      // Not the API's error shape: keep the generic words.
    }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function assertionJson(a) {
  return {
    id: a.id,
    rawId: b64u(a.rawId),
    type: a.type,
    response: {
      authenticatorData: b64u(a.response.authenticatorData),
      clientDataJSON: b64u(a.response.clientDataJSON),
      signature: b64u(a.response.signature),
      userHandle: a.response.userHandle ? b64u(a.response.userHandle) : null,
    },
    extensions: a.getClientExtensionResults(),
  };
}

async function getAssertion(start) {
  const { ceremony, options } = await post(start);
  const publicKey = options.publicKey;
  publicKey.challenge = unb64u(publicKey.challenge);
  (publicKey.allowCredentials ?? []).forEach((c) => (c.id = unb64u(c.id)));
  // A button, not autofill: no conditional mediation.
  const assertion = await navigator.credentials.get({ publicKey });
  return { ceremony, credential: assertionJson(assertion) };
}

async function signIn(button) {
  const { ceremony, credential } = await getAssertion("/login/start");
  const next = button.dataset.next || undefined;
  // Finished under /login, where the cookie of a pending second step (Path=/login) comes along:
  // the passkey finishes that sign-in too.
  const done = await post("/login/finish", { ceremony, credential, next }, "/login/passkey");
  window.location.assign(done.redirect);
}

async function stepUp(button, status) {
  const { ceremony, credential } = await getAssertion("/step-up/start");
  await post("/step-up/finish", { ceremony, credential });
  if (button.dataset.reload) {
    window.location.reload();
  } else {
    status.textContent = "Confirmed with your passkey. You can continue.";
  }
}

async function register(button) {
  const form = button.closest("[data-passkey-form]");
  const field = (name) => form?.querySelector(`[name="${name}"]`);
  const value = (name) => field(name)?.value || undefined;
  const { ceremony, options } = await post("/register/start", {
    password: value("password"),
    code: value("code"),
  });
  const publicKey = options.publicKey;
  publicKey.challenge = unb64u(publicKey.challenge);
  publicKey.user.id = unb64u(publicKey.user.id);
  (publicKey.excludeCredentials ?? []).forEach((c) => (c.id = unb64u(c.id)));
  // webauthn-rs asks for a non-discoverable credential; "Sign in with a passkey" names no
  // account, so the credential must be discoverable (resident).
  publicKey.authenticatorSelection = {
    ...publicKey.authenticatorSelection,
    residentKey: "required",
    requireResidentKey: true,
  };
  const created = await navigator.credentials.create({ publicKey });
  const added = await post("/register/finish", {
    ceremony,
    name: value("name"),
    sign_out_others: field("sign_out_others")?.checked ?? false,
    credential: {
      id: created.id,
      rawId: b64u(created.rawId),
      type: created.type,
      response: {
        attestationObject: b64u(created.response.attestationObject),
        clientDataJSON: b64u(created.response.clientDataJSON),
        transports: created.response.getTransports?.() ?? [],
      },
      extensions: created.getClientExtensionResults(),
    },
  });
  // The account's first second factor comes with recovery codes: the page shows them once.
  if (added?.show) {
    window.location.assign(added.show);
  } else {
    window.location.reload();
  }
}

const ACTIONS = { login: signIn, "step-up": stepUp, register };

if (window.PublicKeyCredential && !document.documentElement.dataset.passkeys) {
  document.documentElement.dataset.passkeys = "on";
  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("[data-passkey-action]");
    const run = button && ACTIONS[button.dataset.passkeyAction];
    if (!run) return;
    event.preventDefault();
    const status = button.closest("[data-passkey-box]")?.querySelector("[data-passkey-status]");
    if (status) status.textContent = "";
    button.disabled = true;
    try {
      await run(button, status);
    } catch (error) {
      const cancelled = error?.name === "NotAllowedError" || error?.name === "AbortError";
      if (status) {
        status.textContent = cancelled
          ? "The passkey prompt was closed. Try again."
          : error?.message || "Something went wrong. Try again.";
      }
    } finally {
      button.disabled = false;
    }
  });
}
