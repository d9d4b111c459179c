// Contacts on the case page: copy a reference number in one tap, and keep an untouched "now"
// current while the page stays open. Everything works without this file.
"use strict";

(() => {
  // Copy buttons are hidden until the clipboard is known to work.
  if (navigator.clipboard && window.isSecureContext) {
    for (const button of document.querySelectorAll("button[data-copy]")) {
      button.hidden = false;
      const label = button.textContent;
      button.addEventListener("click", async () => {
        const source = document.getElementById(button.dataset.copy);
        try {
          await navigator.clipboard.writeText(source.textContent.trim());
        } catch {
          return;
        }
        button.textContent = button.dataset.copied;
        window.setTimeout(() => {
          button.textContent = label;
        }, 2000);
      });
    }
  }

  // "When" starts as the time the page was made; if the user has not changed it, move it on by
  // the time since, when the form is opened and when it is sent. The server's value is in the
  // user's own time zone, so only the elapsed time is added (the browser's zone may differ).
  for (const input of document.querySelectorAll("input[data-now]")) {
    const shown = input.value;
    const loaded = Date.now();
    let touched = false;
    input.addEventListener("input", () => {
      touched = true;
    });
    const refresh = () => {
      const base = Date.parse(`${shown}:00Z`);
      if (touched || Number.isNaN(base)) {
        return;
      }
      input.value = new Date(base + (Date.now() - loaded)).toISOString().slice(0, 16);
    };
    input.closest("details")?.addEventListener("toggle", refresh);
    input.form?.addEventListener("submit", refresh);
  }
})();
