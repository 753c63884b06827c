// paylink dashboard: progressive enhancement only. Every page works without it.
(function () {
  "use strict";

  // Copy buttons: hidden until this script can make them work.
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    var input = document.getElementById(btn.getAttribute("data-copy"));
    if (!input) return;
    btn.hidden = false;
    var label = btn.firstChild.nodeValue;
    btn.addEventListener("click", function () {
      var done = function () {
        btn.firstChild.nodeValue = "Copied";
        btn.setAttribute("data-copied", input.value);
        setTimeout(function () { btn.firstChild.nodeValue = label; }, 2000);
      };
      var fallback = function () {
        input.focus();
        input.select();
        try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });

  // Destructive forms ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // Metadata editor: add and remove rows in place instead of a round trip.
  var rows = document.querySelector("[data-meta-rows]");
  var tpl = document.getElementById("meta-row-template");
  if (rows && tpl) {
    var removable = function (btn) {
      btn.type = "button";
      btn.removeAttribute("name");
      btn.addEventListener("click", function () {
        var row = btn.closest("[data-meta-row]");
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        if (rows.children.length === 0) addRow();
        var focus = (next && next.querySelector("input")) || document.querySelector("[data-add-row]");
        if (focus) focus.focus();
      });
    };
    var addRow = function () {
      var row = tpl.content.firstElementChild.cloneNode(true);
      rows.appendChild(row);
      removable(row.querySelector("[data-remove-row]"));
      return row;
    };
    rows.querySelectorAll("[data-remove-row]").forEach(removable);
    var add = document.querySelector("[data-add-row]");
    if (add) {
      add.type = "button";
      add.removeAttribute("name");
      add.addEventListener("click", function () { addRow().querySelector("input").focus(); });
    }
  }

  // Ordered lists (a link's products, a product's fields): the arrows move the row
  // in place instead of posting the form; the hidden inputs travel with it.
  document.querySelectorAll("[data-reorder]").forEach(function (list) {
    list.querySelectorAll("button[data-move]").forEach(function (btn) {
      btn.type = "button";
      btn.removeAttribute("name");
      btn.addEventListener("click", function () {
        var row = btn.closest("li");
        if (btn.getAttribute("data-move") === "up") {
          if (row.previousElementSibling) list.insertBefore(row, row.previousElementSibling);
        } else if (row.nextElementSibling) {
          list.insertBefore(row.nextElementSibling, row);
        }
        btn.focus();
      });
    });
  });

  // Settings of one choice (a fixed price, a percentage, a field type): shown only
  // while that choice is made. Without this script every group shows, titled.
  document.querySelectorAll("[data-when]").forEach(function (group) {
    var form = group.closest("form");
    var name = group.getAttribute("data-when");
    var wanted = group.getAttribute("data-is").split(" ");
    var update = function () {
      var value = "";
      form.querySelectorAll('[name="' + name + '"]').forEach(function (c) {
        if (c.type !== "radio" || c.checked) value = c.value;
      });
      group.hidden = wanted.indexOf(value) < 0;
    };
    form.addEventListener("change", update);
    update();
  });

  // A form that came back with errors: move the focus to the summary.
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
