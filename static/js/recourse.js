// Small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("click", (event) => {
  // Ask before an action that cannot be undone by the seller (e.g. withdrawing a case).
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
  // Close an open menu when clicking elsewhere.
  for (const menu of document.querySelectorAll("details.user-menu[open]")) {
    if (!menu.contains(event.target)) {
      menu.removeAttribute("open");
    }
  }
});
