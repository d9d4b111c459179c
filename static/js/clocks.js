// Live countdowns for deadlines. Progressive enhancement: without this file the page shows
// the time left as the server computed it when the page was made.
//
// Each countdown is an element with data-due (ISO 8601). Working-day clocks also carry
// data-runs: the stretches of working time left, [[startMs, endMs], ...], so the count stops
// over weekends and holidays as the deadline does. Words come from data-countdown-labels (JSON
// with {days} and {time} placeholders) on an enclosing element, in the page's language.
"use strict";

(() => {
  const countdowns = Array.from(document.querySelectorAll(".countdown[data-due]"));
  if (!countdowns.length) {
    return;
  }
  const DAY = 86400000;

  function labelsFor(element) {
    const holder = element.closest("[data-countdown-labels]");
    try {
      return holder ? JSON.parse(holder.dataset.countdownLabels) : null;
    } catch {
      return null;
    }
  }

  const pad = (n) => String(n).padStart(2, "0");

  function clockText(ms) {
    const seconds = Math.floor(ms / 1000);
    const h = Math.floor(seconds / 3600) % 24;
    const m = Math.floor(seconds / 60) % 60;
    return `${pad(h)}:${pad(m)}:${pad(seconds % 60)}`;
  }

  // Seconds tick in the last week; further out, days and hours say enough.
  function leftText(ms, working, labels) {
    const days = Math.floor(ms / DAY);
    const rest = ms - days * DAY;
    let time = clockText(ms);
    if (days > 0) {
      const kind = working ? "wd" : "d";
      const form = labels[`${kind}_${days === 1 ? "one" : "many"}`].replace("{days}", days);
      const hours = Math.floor(rest / 3600000);
      if (rest < 1000) {
        time = form;
      } else if (days >= 7) {
        time = hours ? `${form} ${labels.hours.replace("{hours}", hours)}` : form;
      } else {
        time = `${form} ${time}`;
      }
    }
    return labels.left.replace("{time}", time);
  }

  const clocks = countdowns
    .map((element) => {
      const due = Date.parse(element.dataset.due);
      let runs = null;
      if (element.dataset.runs) {
        try {
          runs = JSON.parse(element.dataset.runs);
        } catch {
          runs = null;
        }
      }
      return { element, due, runs, labels: labelsFor(element) };
    })
    .filter((c) => !Number.isNaN(c.due) && c.labels);

  function tick() {
    const now = Date.now();
    for (const c of clocks) {
      const item = c.element.closest(".clock");
      if (now >= c.due) {
        c.element.textContent = c.labels.overdue;
        if (item) {
          item.classList.add("clock-overdue");
          item.classList.remove("clock-soon");
        }
        continue;
      }
      let left = c.due - now;
      if (c.runs) {
        left = c.runs.reduce((sum, [start, end]) => sum + Math.max(0, end - Math.max(start, now)), 0);
      }
      c.element.textContent = leftText(left, Boolean(c.runs), c.labels);
      if (item && c.due - now <= DAY) {
        item.classList.add("clock-soon");
      }
    }
  }

  tick();
  window.setInterval(tick, 1000);
})();
