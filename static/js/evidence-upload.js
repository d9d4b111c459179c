// Evidence uploads with drag and drop, one request per file with its own progress bar.
// Progressive enhancement: without this file the form posts every file at once and works.
"use strict";

(() => {
  const form = document.getElementById("evidence-upload");
  const template = document.getElementById("evidence-row-template");
  if (!form || !template || !window.FormData || !("upload" in new XMLHttpRequest())) {
    return;
  }

  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector("[data-drop-zone]");
  const queue = form.querySelector("[data-queue]");
  const summary = form.querySelector("[data-summary]");
  const button = form.querySelector("[data-upload-button]");
  const msg = form.dataset;
  const maxSize = Number(form.dataset.maxSize) || Infinity;
  let busy = false;

  // --- The form becomes a drop zone with a row per file --------------------------------------

  form.classList.add("is-enhanced");
  form.noValidate = true; // the shared fields are hidden; each row has its own
  form.querySelector("[data-drop-text]").hidden = false;
  form.querySelector("[data-shared]").hidden = true;
  form.querySelector("[data-shared-note]").hidden = true;
  input.classList.add("visually-hidden");
  updateButton();

  zone.addEventListener("click", (event) => {
    if (event.target !== input) {
      input.click();
    }
  });
  input.addEventListener("change", () => {
    addFiles(input.files);
    input.value = ""; // the same file may be chosen again later
  });
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("is-over");
    });
  }
  for (const name of ["dragleave", "dragend"]) {
    zone.addEventListener(name, () => zone.classList.remove("is-over"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      addFiles(event.dataTransfer.files);
    }
  });
  // A file dropped just beside the zone must not make the browser leave the page for it.
  for (const name of ["dragover", "drop"]) {
    document.addEventListener(name, (event) => {
      if (!zone.contains(event.target) && event.dataTransfer?.types.includes("Files")) {
        event.preventDefault();
      }
    });
  }

  queue.addEventListener("click", (event) => {
    const unqueue = event.target.closest("[data-unqueue]");
    if (unqueue) {
      unqueue.closest(".upload-row").remove();
      queue.hidden = !queue.children.length;
      updateButton();
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!busy) {
      uploadAll();
    }
  });

  function addFiles(files) {
    // Rows already kept make room for the new ones.
    for (const row of queue.querySelectorAll('.upload-row[data-state="done"]')) {
      row.remove();
    }
    summary.hidden = true;
    for (const file of files) {
      const row = template.content.firstElementChild.cloneNode(true);
      row.file = file;
      row.querySelector("[data-name]").textContent = file.name;
      row.querySelector("[data-size]").textContent = humanSize(file.size);
      row.querySelector("[data-kind]").value = suggestKind(file);
      if (file.size === 0) {
        setState(row, "refused", msg.msgEmpty);
      } else if (file.size > maxSize) {
        setState(row, "refused", msg.msgTooLarge);
      } else {
        setState(row, "ready", msg.msgReady);
      }
      queue.append(row);
    }
    queue.hidden = !queue.children.length;
    updateButton();
    const first = queue.querySelector('.upload-row[data-state="ready"] [data-kind]');
    if (first) {
      first.focus({ preventScroll: true });
    }
  }

  // --- Uploading -----------------------------------------------------------------------------

  async function uploadAll() {
    const rows = [...queue.querySelectorAll('.upload-row[data-state="ready"], .upload-row[data-state="failed"]')];
    if (!rows.length) {
      showSummary(msg.msgNothing);
      return;
    }
    busy = true;
    updateButton();
    let kept = 0;
    let refused = 0;
    // One at a time: each file gets the whole connection, and the bars fill in order.
    for (const row of rows) {
      (await upload(row)) ? kept++ : refused++;
    }
    busy = false;
    updateButton();
    // Whole sentences from the template, so each language punctuates and spaces its own way.
    if (kept && refused) {
      showSummary(msg.msgSummaryBoth.replace("%(kept)s", kept).replace("%(refused)s", refused));
    } else if (kept) {
      showSummary(msg.msgSummaryKept.replace("%(count)s", kept));
    } else {
      showSummary(msg.msgSummaryRefused.replace("%(count)s", refused));
    }
    if (kept) {
      await refreshSection();
    }
  }

  function upload(row) {
    return new Promise((resolve) => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      data.append("file", row.file, row.file.name);
      data.append("kind", row.querySelector("[data-kind]").value);
      data.append("description", row.querySelector("[data-description]").value);
      const progress = row.querySelector("[data-progress]");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          progress.value = Math.round((event.loaded / event.total) * 100);
        }
      });
      xhr.addEventListener("load", () => {
        const body = xhr.response;
        if (xhr.status === 201 && body && body.id) {
          progress.value = 100;
          setState(row, "done", msg.msgKept);
          resolve(true);
          return;
        }
        progress.value = 0;
        const detail = body && body.detail ? body.detail : msg.msgUnexpected;
        // 413 and 415 will not change by trying again; other answers may (a kind to choose).
        setState(row, [413, 415].includes(xhr.status) ? "refused" : "failed", detail);
        resolve(false);
      });
      for (const name of ["error", "abort", "timeout"]) {
        xhr.addEventListener(name, () => {
          progress.value = 0;
          setState(row, "failed", msg.msgNetwork);
          resolve(false);
        });
      }
      setState(row, "uploading", msg.msgUploading);
      xhr.send(data);
    });
  }

  async function refreshSection() {
    try {
      const response = await fetch(form.dataset.sectionUrl, {
        headers: { "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const id of ["evidence-list-region", "evidence-checklist"]) {
        const now = document.getElementById(id);
        const next = fresh.getElementById(id);
        if (now && next) {
          now.replaceWith(next);
        }
      }
    } catch {
      window.location.reload();
    }
  }

  // --- Small helpers -------------------------------------------------------------------------

  function setState(row, state, text) {
    row.dataset.state = state;
    row.querySelector("[data-status]").textContent = text || "";
    const locked = state === "uploading" || state === "done";
    for (const field of row.querySelectorAll("select, input")) {
      field.disabled = locked;
    }
    row.querySelector("[data-unqueue]").hidden = state === "uploading";
  }

  function updateButton() {
    const waiting = queue.querySelector('.upload-row[data-state="ready"], .upload-row[data-state="failed"]');
    button.disabled = busy || !waiting;
    form.classList.toggle("is-busy", busy);
  }

  function showSummary(text) {
    summary.textContent = text;
    summary.hidden = false;
  }

  function suggestKind(file) {
    const type = file.type || "";
    const extension = (file.name.split(".").pop() || "").toLowerCase();
    if (type.startsWith("image/") || ["heic", "heif"].includes(extension)) return "screenshot";
    if (type.startsWith("video/") || ["mp4", "mov", "m4v", "webm"].includes(extension)) {
      return form.dataset.videoKind || "screen_recording";
    }
    if (type === "application/pdf" || extension === "pdf") return "platform_notice";
    if (extension === "eml") return "correspondence";
    if (["csv", "xlsx"].includes(extension)) return "transaction_record";
    if (["txt", "log"].includes(extension)) return "chat_log";
    return "other";
  }

  function humanSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  }
})();
