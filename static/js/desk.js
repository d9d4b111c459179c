// Staff queue: "/" focuses the search box (unless you are typing somewhere); j/k move between
// rows' reference links. Without JS the page works the same, with the usual tab order.
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      var search = document.getElementById("id_q");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
      return;
    }
    if (event.key === "j" || event.key === "k") {
      var links = Array.prototype.slice.call(document.querySelectorAll(".queue-table a.ref"));
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
      event.preventDefault();
      links[next].focus();
    }
  });
})();
