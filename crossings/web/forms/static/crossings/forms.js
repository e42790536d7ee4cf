// The incident form without round trips: add and remove rows, and keep what was typed on this
// device until the server has it. Everything also works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form.incident");
  if (!form) { return; }
  var key = "crossings-form:" + form.dataset.autosave;
  var state = form.querySelector(".saved-state");

  function say(text) { state.hidden = !text; state.textContent = text; }

  function addRow(section) {
    var next = parseInt(section.dataset.next, 10);
    var html = section.querySelector("template").innerHTML.split("__prefix__").join(
      section.dataset.section + "-" + next + "-");
    var rows = section.querySelector(".rows");
    rows.insertAdjacentHTML("beforeend", html);
    var row = rows.lastElementChild;
    var count = rows.querySelectorAll("fieldset.row").length;
    row.querySelector(".n").textContent = count;
    if (section.dataset.numbering) {
      var number = row.querySelector("[name$='-" + section.dataset.numbering + "']");
      if (number) { number.value = count; }
    }
    section.dataset.next = next + 1;
    var first = row.querySelector("input:not([type=checkbox]):not(.number), select");
    if (first) { first.focus(); }
    return row;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.add");
    if (!button) { return; }
    event.preventDefault();
    addRow(button.closest("section.repeat"));
  });

  form.addEventListener("change", function (event) {
    if (event.target.name && /-REMOVE$/.test(event.target.name)) {
      event.target.closest("fieldset.row").classList.toggle("removed", event.target.checked);
    }
  });

  // What was typed is kept on this device until the server has saved it.
  function snapshot() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { pairs.push([name, value]); }
    });
    return pairs;
  }
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      try {
        localStorage.setItem(key, JSON.stringify({at: Date.now(), pairs: snapshot()}));
        say(form.dataset.keptText);
      } catch (e) { /* storage full or off: nothing to do */ }
    }, 400);
  });
  form.addEventListener("submit", function () {
    say(form.dataset.sendingText);
    sessionStorage.setItem("crossings-sent", key);
  });

  function field(name) {
    var found = form.querySelector("[name='" + name + "']");
    var match = /^([a-z_]+)-(\d+)-/.exec(name);
    var section = match && form.querySelector("section[data-section='" + match[1] + "']");
    for (var tries = 0; !found && section && tries < 50; tries++) {
      addRow(section);
      found = form.querySelector("[name='" + name + "']");
    }
    return found;
  }

  function restore(pairs) {
    pairs.forEach(function (pair) {
      var element = field(pair[0]);
      if (!element) { return; }
      if (element.type === "checkbox") {
        form.querySelectorAll("[name='" + pair[0] + "']").forEach(function (box) {
          if (box.value === pair[1]) { box.checked = true; }
        });
      } else { element.value = pair[1]; }
    });
    say(form.dataset.keptText);
  }

  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && !document.querySelector(".summary")) {
    var offer = document.createElement("button");
    offer.type = "button";
    offer.className = "restore";
    offer.textContent = form.dataset.restoreText + " (" + new Date(kept.at).toLocaleString() + ")";
    offer.addEventListener("click", function () { restore(kept.pairs); offer.remove(); });
    state.after(offer);
  }
})();

// After a successful save the record page says so: what was kept on the device can go.
(function () {
  "use strict";
  var sent = sessionStorage.getItem("crossings-sent");
  if (sent && document.querySelector(".messages .success")) {
    localStorage.removeItem(sent);
    sessionStorage.removeItem("crossings-sent");
  }
})();
