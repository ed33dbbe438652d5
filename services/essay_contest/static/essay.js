// Progressive enhancement: a live word count while writing and a live countdown to the
// deadline. The pages show both from the server and work without this script.
(function () {
  "use strict";
  // As the server counts (domain.count_words over normalise_text): letters and digits, with
  // ' and - inside words, accents composed first (NFC).
  var word = /[\p{L}\p{N}_][\p{L}\p{N}_'\u2019-]*/gu;
  document.querySelectorAll("output[data-word-count]").forEach(function (output) {
    var text = document.getElementById(output.dataset.wordCount);
    if (!text) { return; }
    output.previousSibling.textContent = "Aantal woorden: ";
    function update() {
      output.textContent = (text.value.normalize("NFC").match(word) || []).length;
    }
    text.addEventListener("input", update);
    update();
  });
  document.querySelectorAll("[data-deadline]").forEach(function (clock) {
    var deadline = Date.parse(clock.dataset.deadline);
    function update() {
      var minutes = Math.floor((deadline - Date.now()) / 60000);
      if (minutes <= 0) { clock.textContent = "de deadline is voorbij"; return; }
      var days = Math.floor(minutes / 1440), hours = Math.floor(minutes % 1440 / 60);
      clock.textContent = days
        ? "nog " + (days === 1 ? "1 dag" : days + " dagen") + " en " + hours + " uur"
        : "nog " + hours + " uur en " + minutes % 60 + " minuten";
    }
    setInterval(update, 60000);
  });
})();
