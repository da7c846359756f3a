// Repeatable rows on the takedown form. Without JavaScript the "add" buttons post the
// form back for one more row and the "remove" boxes delete rows on submit; this script
// only makes both happen in place.
(function () {
  function enhanceRow(row) {
    var box = row.querySelector("input[name$='-DELETE']");
    var actions = row.querySelector("[data-row-actions]");
    if (!box || !actions || actions.childElementCount) return;
    box.closest(".mb-3, .form-check").hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm text-danger p-0";
    button.textContent = "Remove";
    var title = row.querySelector(".row-title");
    button.setAttribute("aria-label", "Remove " + (title ? title.textContent.trim() : "this row"));
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
    });
    actions.appendChild(button);
  }

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = parseInt(document.getElementById("id_" + prefix + "-MAX_NUM_FORMS").value, 10);
    var count = parseInt(total.value, 10);
    if (count >= max) return;
    var html = document.getElementById(prefix + "-empty").innerHTML
      .replace(/__prefix__/g, String(count))
      .replace(/__num__/g, String(count + 1));
    var rows = document.getElementById(prefix + "-rows");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    var row = rows.lastElementChild;
    enhanceRow(row);
    var first = row.querySelector("input, textarea");
    if (first) first.focus();
  }

  document.querySelectorAll("[data-row]").forEach(enhanceRow);
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      addRow(button.getAttribute("data-add-row"));
    });
  });
  var summary = document.getElementById("errors");
  if (summary) summary.focus();
})();
