// The door page narrows its list while typing; without this script the search button does
// it on the server.
(function () {
  "use strict";
  var search = document.getElementById("q");
  if (!search) { return; }
  search.addEventListener("input", function () {
    var wanted = search.value.trim().toLowerCase();
    document.querySelectorAll("[data-zoek]").forEach(function (row) {
      row.hidden = !row.dataset.zoek.includes(wanted);
    });
  });
})();
