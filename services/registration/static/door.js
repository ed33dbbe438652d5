// The door page without reloading: the list narrows while typing, and a tap on "Binnen" or
// "Ongedaan maken" is sent in the background and only that row, the counts and the notice
// change, so the search and the place on the page stay. Without this script the search
// button narrows on the server and each tap comes back to the same row with the same search.
(function () {
  "use strict";
  var search = document.getElementById("q");
  var list = document.querySelector("ul.people");
  if (!search || !list) { return; }

  function narrow() {
    var wanted = search.value.trim().toLowerCase();
    var shown = 0;
    list.querySelectorAll("li[data-zoek]").forEach(function (row) {
      row.hidden = !row.dataset.zoek.includes(wanted);
      if (!row.hidden) { shown += 1; }
    });
    document.getElementById("niemand").hidden = shown > 0;
  }

  // Puts the fresh page's version of an element in place of this page's.
  function renew(fresh, selector) {
    var now = document.querySelector(selector);
    var then = fresh.querySelector(selector);
    if (now && then) { now.replaceWith(then); }
    return then;
  }

  function showNotice(fresh) {
    var notice = fresh.querySelector(".notice");
    if (!notice) { return; }
    var old = document.querySelector(".notice");
    if (old) { old.replaceWith(notice); } else { document.querySelector("main").prepend(notice); }
  }

  function tap(form) {
    var row = form.closest("li");
    form.querySelector("input[name=q]").value = search.value;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var again = renew(fresh, "#" + row.id);
        if (!again) { throw new Error("row missing"); }
        renew(fresh, "#aantallen");
        showNotice(fresh);
        narrow();
        again.querySelector("button").focus({ preventScroll: true });
      })
      .catch(function () { form.submit(); });  // the server's own answer, as without script
  }

  search.addEventListener("input", narrow);
  list.addEventListener("submit", function (event) {
    event.preventDefault();
    tap(event.target);
  });
})();
