// Every municipality input (data-gemeente) becomes a combobox after the WAI-ARIA pattern: typing
// shows the matching names of the page's list (datalist#gemeenten) in a listbox under it, accents
// and case aside and common names too ("den haag" finds 's-Gravenhage); ArrowDown and ArrowUp
// move through them, Enter takes the active one and never sends the form while the list is open,
// Escape closes it. Without this script the input is a text input with the browser's own
// suggestions; the server reads the name either way and offers candidates when it names none.
(function () {
  "use strict";
  var MOST = 8; // options shown at once; typing more narrows them

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function namesIn(list) {
    return Array.prototype.map.call(list.options, function (option) {
      return { name: option.value, folded: fold(option.value), also: fold(option.dataset.ook || "") };
    });
  }

  // Names starting with the text first, then names with a word starting with it, then the rest
  // holding it.
  function matching(names, typed) {
    var wanted = fold(typed);
    var ranked = [[], [], []];
    if (!wanted) { return []; }
    names.forEach(function (entry) {
      var words = " " + entry.folded + " " + entry.also;
      if (entry.folded.startsWith(wanted) || entry.also.startsWith(wanted)) {
        ranked[0].push(entry.name);
      } else if (words.includes(" " + wanted)) {
        ranked[1].push(entry.name);
      } else if (words.includes(wanted)) {
        ranked[2].push(entry.name);
      }
    });
    return ranked[0].concat(ranked[1], ranked[2]).slice(0, MOST);
  }

  function enhance(input, names) {
    var box = document.createElement("div");
    var listbox = document.createElement("ul");
    var active = -1;
    box.className = "combobox";
    input.parentNode.insertBefore(box, input);
    box.append(input, listbox);
    listbox.id = input.id + "-lijst";
    listbox.hidden = true;
    listbox.setAttribute("role", "listbox");
    if (input.labels.length) {
      input.labels[0].id = input.labels[0].id || input.id + "-label";
      listbox.setAttribute("aria-labelledby", input.labels[0].id);
    }
    input.removeAttribute("list"); // the browser's own list would open over this one
    input.dataset.gemeente = "combobox";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function options() { return listbox.querySelectorAll("[role=option]"); }
    function isOpen() { return !listbox.hidden; }

    function close() {
      listbox.hidden = true;
      listbox.replaceChildren();
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function open() {
      var found = matching(names, input.value);
      close();
      if (!found.length) { return; }
      found.forEach(function (name, number) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + number;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = name;
        listbox.append(option);
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function activate(number) {
      var all = options();
      active = (number + all.length) % all.length;
      all.forEach(function (option, index) {
        option.setAttribute("aria-selected", String(index === active));
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(option) {
      input.value = option.textContent;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.isComposing) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen()) { open(); }
        if (isOpen() && !event.altKey) {
          activate(event.key === "ArrowDown" ? active + 1 : (active <= 0 ? -1 : active - 1));
        }
      } else if (event.key === "Enter" && isOpen()) {
        event.preventDefault(); // choosing, not sending the form
        if (active >= 0) { pick(options()[active]); } else { close(); }
      } else if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        close();
      }
    });
    // A click on an option takes it without the input losing focus first.
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { pick(option); }
    });
  }

  var lists = {};
  document.querySelectorAll("input[data-gemeente=''][list]").forEach(function (input) {
    var id = input.getAttribute("list");
    var list = document.getElementById(id);
    if (list) {
      lists[id] = lists[id] || namesIn(list);
      enhance(input, lists[id]);
    }
  });

  // A candidate the server offered, once chosen, is what the input shows.
  document.querySelectorAll("input[data-gemeente-voor]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      var input = document.getElementById(radio.dataset.gemeenteVoor);
      if (input) { input.value = radio.value; }
    });
  });
})();
